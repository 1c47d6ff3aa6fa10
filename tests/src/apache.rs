//! Apache httpd with `mod_auth_digest`, as a reverse proxy in front of Prism: real Digest
//! authentication on real Atlas paths, then spec validation (ARCHITECTURE.md, "Test peers").

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use md5::Digest as _;

use crate::process::{PeerProcess, free_port};

/// The Digest realm Apache challenges with.
pub const REALM: &str = "atlas";

/// What every httpd the tests start says first: where it listens (127.0.0.1:`port`), where
/// its pid, log, runtime files and mutex live (`dir`), its user, and the event MPM.
pub(crate) fn common_config(port: u16, dir: &Path) -> String {
    let d = dir.display();
    format!(
        "ServerName 127.0.0.1\nListen 127.0.0.1:{port}\nPidFile {d}/httpd.pid\nErrorLog {d}/error.log\nLogLevel warn\nDefaultRuntimeDir {d}\nMutex file:{d} default\nUser www-data\nGroup www-data\nLoadModule mpm_event_module {MODULES}/mod_mpm_event.so\n"
    )
}

/// Where Debian keeps httpd's modules.
pub(crate) const MODULES: &str = "/usr/lib/apache2/modules";

/// A running httpd; stopped when dropped.
pub struct Apache {
    process: PeerProcess,
    dir: tempfile::TempDir,
}

impl Apache {
    /// Proxies to `upstream` (e.g. Prism's base URL), admitting `user`/`password` by Digest.
    /// Nonces expire after `nonce_lifetime_secs`.
    pub fn start(upstream: &str, user: &str, password: &str, nonce_lifetime_secs: u32) -> Apache {
        let binary = Path::new("/usr/sbin/apache2");
        assert!(
            binary.exists(),
            "Apache httpd is not installed: `apt-get install apache2 apache2-utils` (`cargo xtask test` does it as root)"
        );
        let dir = tempfile::tempdir().expect("temporary directory");
        // httpd reads the password file as its unprivileged user.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let d = dir.path().display();
        let ha1: String = md5::Md5::digest(format!("{user}:{REALM}:{password}"))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let users = dir.path().join("htdigest");
        std::fs::write(&users, format!("{user}:{REALM}:{ha1}\n")).unwrap();
        std::fs::set_permissions(&users, std::fs::Permissions::from_mode(0o644)).unwrap();
        let port = free_port();
        let modules = MODULES;
        let config = format!(
            r#"{common}LoadModule authn_core_module {modules}/mod_authn_core.so
LoadModule authn_file_module {modules}/mod_authn_file.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule authz_user_module {modules}/mod_authz_user.so
LoadModule auth_digest_module {modules}/mod_auth_digest.so
LoadModule headers_module {modules}/mod_headers.so
LoadModule proxy_module {modules}/mod_proxy.so
LoadModule proxy_http_module {modules}/mod_proxy_http.so
LogFormat "%m %U%q %>s" short
CustomLog {d}/access.log short
<Location "/">
    AuthType Digest
    AuthName "{REALM}"
    AuthDigestDomain /
    AuthDigestProvider file
    AuthUserFile {d}/htdigest
    AuthDigestNonceLifetime {nonce_lifetime_secs}
    Require valid-user
    # Prism checks the ServiceAccounts scheme; any bearer token satisfies it.
    RequestHeader set Authorization "Bearer forwarded-by-apache"
</Location>
ProxyPass "/" "{upstream}/"
ProxyPassReverse "/" "{upstream}/"
"#,
            common = common_config(port, dir.path())
        );
        let conf = dir.path().join("httpd.conf");
        std::fs::write(&conf, config).unwrap();
        let mut command = Command::new(binary);
        command.arg("-f").arg(&conf).arg("-DFOREGROUND");
        Apache {
            process: PeerProcess::spawn("Apache httpd", command, port),
            dir,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.process.base_url()
    }

    /// Access log lines (`METHOD /path?query STATUS`, one per request httpd answered), once
    /// at least `expected` are written.
    pub fn access_log_settled(&self, expected: usize) -> Vec<String> {
        crate::process::settled(|| self.access_log(), |log| log.len() >= expected)
    }

    /// Access log lines written so far.
    pub fn access_log(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("access.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}
