//! The kinds of change the report names, and what each means for the version number.

use serde::Serialize;

/// What kind of change it is; serialized in snake case (`parameter_type_changed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// `additional_properties_added`.
    AdditionalPropertiesAdded,
    /// `additional_properties_changed`.
    AdditionalPropertiesChanged,
    /// `additional_properties_removed`.
    AdditionalPropertiesRemoved,
    /// `constructor_added`.
    ConstructorAdded,
    /// `constructor_removed`.
    ConstructorRemoved,
    /// `default_added`.
    DefaultAdded,
    /// `default_removed`.
    DefaultRemoved,
    /// `enum_value_added`.
    EnumValueAdded,
    /// `enum_value_removed`.
    EnumValueRemoved,
    /// `error_body_changed`.
    ErrorBodyChanged,
    /// `field_added`.
    FieldAdded,
    /// `field_removed`.
    FieldRemoved,
    /// `field_required_changed`.
    FieldRequiredChanged,
    /// `field_type_changed`.
    FieldTypeChanged,
    /// `media_type_changed`.
    MediaTypeChanged,
    /// `operation_added`.
    OperationAdded,
    /// `operation_moved`.
    OperationMoved,
    /// `operation_removed`.
    OperationRemoved,
    /// `operation_renamed`.
    OperationRenamed,
    /// `parameter_added`.
    ParameterAdded,
    /// `parameter_bound_changed`.
    ParameterBoundChanged,
    /// `parameter_default_changed`.
    ParameterDefaultChanged,
    /// `parameter_moved`.
    ParameterMoved,
    /// `parameter_pattern_changed`.
    ParameterPatternChanged,
    /// `parameter_removed`.
    ParameterRemoved,
    /// `parameter_renamed`.
    ParameterRenamed,
    /// `parameter_required_changed`.
    ParameterRequiredChanged,
    /// `parameter_style_changed`.
    ParameterStyleChanged,
    /// `parameter_type_changed`.
    ParameterTypeChanged,
    /// `request_body_added`.
    RequestBodyAdded,
    /// `request_body_removed`.
    RequestBodyRemoved,
    /// `request_body_required_changed`.
    RequestBodyRequiredChanged,
    /// `request_body_type_changed`.
    RequestBodyTypeChanged,
    /// `request_encoding_changed`.
    RequestEncodingChanged,
    /// `request_media_type_changed`.
    RequestMediaTypeChanged,
    /// `response_status_added`.
    ResponseStatusAdded,
    /// `response_status_removed`.
    ResponseStatusRemoved,
    /// `response_type_changed`.
    ResponseTypeChanged,
    /// `response_type_renamed`.
    ResponseTypeRenamed,
    /// `schema_added`.
    SchemaAdded,
    /// `schema_kind_changed`.
    SchemaKindChanged,
    /// `schema_removed`.
    SchemaRemoved,
    /// `schema_renamed`.
    SchemaRenamed,
    /// `success_status_changed`.
    SuccessStatusChanged,
    /// `sunset_added`: the API now names a date after which it stops serving the operation.
    SunsetAdded,
    /// `union_variant_added`.
    UnionVariantAdded,
    /// `union_variant_removed`.
    UnionVariantRemoved,
}

impl ChangeKind {
    /// Whether the change adds to the API, so a compatible one calls for a minor release
    /// rather than a patch.
    pub fn is_addition(self) -> bool {
        matches!(
            self,
            ChangeKind::AdditionalPropertiesAdded
                | ChangeKind::ConstructorAdded
                | ChangeKind::DefaultAdded
                | ChangeKind::EnumValueAdded
                | ChangeKind::FieldAdded
                | ChangeKind::OperationAdded
                | ChangeKind::ParameterAdded
                | ChangeKind::RequestBodyAdded
                | ChangeKind::ResponseStatusAdded
                | ChangeKind::SchemaAdded
                | ChangeKind::UnionVariantAdded
                // Deprecating is a minor release's business (semver), and worth its notes.
                | ChangeKind::SunsetAdded
        )
    }

    /// The name as serialized, e.g. `parameter_type_changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::AdditionalPropertiesAdded => "additional_properties_added",
            ChangeKind::AdditionalPropertiesChanged => "additional_properties_changed",
            ChangeKind::AdditionalPropertiesRemoved => "additional_properties_removed",
            ChangeKind::ConstructorAdded => "constructor_added",
            ChangeKind::ConstructorRemoved => "constructor_removed",
            ChangeKind::DefaultAdded => "default_added",
            ChangeKind::DefaultRemoved => "default_removed",
            ChangeKind::EnumValueAdded => "enum_value_added",
            ChangeKind::EnumValueRemoved => "enum_value_removed",
            ChangeKind::ErrorBodyChanged => "error_body_changed",
            ChangeKind::FieldAdded => "field_added",
            ChangeKind::FieldRemoved => "field_removed",
            ChangeKind::FieldRequiredChanged => "field_required_changed",
            ChangeKind::FieldTypeChanged => "field_type_changed",
            ChangeKind::MediaTypeChanged => "media_type_changed",
            ChangeKind::OperationAdded => "operation_added",
            ChangeKind::OperationMoved => "operation_moved",
            ChangeKind::OperationRemoved => "operation_removed",
            ChangeKind::OperationRenamed => "operation_renamed",
            ChangeKind::ParameterAdded => "parameter_added",
            ChangeKind::ParameterBoundChanged => "parameter_bound_changed",
            ChangeKind::ParameterDefaultChanged => "parameter_default_changed",
            ChangeKind::ParameterMoved => "parameter_moved",
            ChangeKind::ParameterPatternChanged => "parameter_pattern_changed",
            ChangeKind::ParameterRemoved => "parameter_removed",
            ChangeKind::ParameterRenamed => "parameter_renamed",
            ChangeKind::ParameterRequiredChanged => "parameter_required_changed",
            ChangeKind::ParameterStyleChanged => "parameter_style_changed",
            ChangeKind::ParameterTypeChanged => "parameter_type_changed",
            ChangeKind::RequestBodyAdded => "request_body_added",
            ChangeKind::RequestBodyRemoved => "request_body_removed",
            ChangeKind::RequestBodyRequiredChanged => "request_body_required_changed",
            ChangeKind::RequestBodyTypeChanged => "request_body_type_changed",
            ChangeKind::RequestEncodingChanged => "request_encoding_changed",
            ChangeKind::RequestMediaTypeChanged => "request_media_type_changed",
            ChangeKind::ResponseStatusAdded => "response_status_added",
            ChangeKind::ResponseStatusRemoved => "response_status_removed",
            ChangeKind::ResponseTypeChanged => "response_type_changed",
            ChangeKind::ResponseTypeRenamed => "response_type_renamed",
            ChangeKind::SchemaAdded => "schema_added",
            ChangeKind::SchemaKindChanged => "schema_kind_changed",
            ChangeKind::SchemaRemoved => "schema_removed",
            ChangeKind::SchemaRenamed => "schema_renamed",
            ChangeKind::SuccessStatusChanged => "success_status_changed",
            ChangeKind::SunsetAdded => "sunset_added",
            ChangeKind::UnionVariantAdded => "union_variant_added",
            ChangeKind::UnionVariantRemoved => "union_variant_removed",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
