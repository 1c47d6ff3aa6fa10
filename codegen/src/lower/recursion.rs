//! Recursive types need a `Box` somewhere in each cycle of by-value fields, or Rust cannot
//! size them. Lists and maps already allocate, and union variants are always boxed, so only
//! struct fields (and aliases) form cycles; every field whose type lies in its struct's
//! strongly connected component is boxed.

use crate::ir::{TypeDef, TypeKind, TypeRef};

/// The named type (by position) `ty` holds by value (not behind a list, map or box).
fn by_value(ty: &TypeRef) -> Option<usize> {
    ty.id().map(|id| id.index())
}

fn edges(def: &TypeDef) -> Vec<usize> {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| by_value(&f.ty)).collect(),
        TypeKind::Alias(target) => by_value(target).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Aliases that lead back to themselves (`A: {$ref: B}`, `B: {$ref: A}`) name no type at all:
/// each becomes any JSON value, with a `repair` note. (Rust refuses a cycle of type aliases.)
pub(crate) fn break_alias_cycles(defs: &mut [TypeDef], notes: &mut Vec<crate::ir::Diagnostic>) {
    let n = defs.len();
    let next = |defs: &[TypeDef], i: usize| match &defs[i].kind {
        TypeKind::Alias(TypeRef::Named(id)) if id.index() < n => Some(id.index()),
        _ => None,
    };
    let cyclic: Vec<usize> = (0..n)
        .filter(|&start| {
            let mut at = start;
            // A chain longer than the table has repeated itself.
            for _ in 0..n {
                match next(defs, at) {
                    Some(target) if target == start => return true,
                    Some(target) => at = target,
                    None => return false,
                }
            }
            false
        })
        .collect();
    for i in cyclic {
        notes.push(crate::ir::Diagnostic {
            kind: crate::ir::NoteKind::Repair,
            pointer: defs[i].pointer.clone(),
            message: "a chain of `$ref`s that leads back to itself and never reaches a schema; typed as any JSON value".to_owned(),
        });
        defs[i].kind = TypeKind::Alias(TypeRef::Json);
    }
}

/// Marks the fields that close a cycle as boxed (`defs` is the type table: ids are
/// positions).
pub(crate) fn box_cycles(defs: &mut [TypeDef]) {
    let n = defs.len();
    let graph: Vec<Vec<usize>> = defs
        .iter()
        .map(|d| edges(d).into_iter().filter(|&t| t < n).collect())
        .collect();
    let component = tarjan(&graph);
    for (i, def) in defs.iter_mut().enumerate() {
        let TypeKind::Struct { fields, .. } = &mut def.kind else {
            continue;
        };
        for field in fields {
            if let Some(target) = by_value(&field.ty).filter(|&t| t < n)
                && component[target] == component[i]
                && (target != i || graph[i].contains(&i))
            {
                field.boxed = true;
            }
        }
    }
}

/// Strongly connected component id of every node (iterative Tarjan, so deep specs cannot
/// overflow the stack). Nodes alone in a component without a self-edge are not cycles, but
/// share nothing with other nodes, which is all `box_cycles` asks.
fn tarjan(graph: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = graph.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNVISITED; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNVISITED {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = graph[node].get(*edge) {
                *edge += 1;
                if index[next] == UNVISITED {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::tarjan;

    #[test]
    fn finds_cycles_and_singletons() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0
        let graph = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let c = tarjan(&graph);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }
}
