//! Apache httpd with `mod_ssl` requiring a client certificate: a real peer for the
//! `mutualTLS` security scheme. A private CA, the server's certificate (for 127.0.0.1) and a
//! client certificate are made with the `openssl` command for each run.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{PeerProcess, free_port};

/// The common name of the client certificate, which the server echoes in `X-Client-CN`.
pub const CLIENT_NAME: &str = "atlas-sdk-test-client";

/// A running httpd that serves the files of `root` over TLS to clients with a certificate
/// from its CA only; stopped when dropped.
pub struct MutualTls {
    process: PeerProcess,
    dir: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("running openssl (Debian `openssl`)");
    assert!(status.success(), "openssl {args:?} failed");
}

/// `<name>.key` and `<name>.pem`: a key and a certificate for `subject` with the extensions
/// `ext`, signed by the CA in `dir`.
fn signed_by_the_ca(dir: &Path, name: &str, subject: &str, ext: &str) {
    let (key, csr, pem, ext_file) = (
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("{name}.pem"),
        format!("{name}.ext"),
    );
    std::fs::write(dir.join(&ext_file), ext).unwrap();
    openssl(
        dir,
        &[
            "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", &key, "-out", &csr,
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            &ext_file,
            "-out",
            &pem,
        ],
    );
}

impl MutualTls {
    /// Serves `files` (path under the root → contents) as JSON.
    pub fn start(files: &[(&str, &str)]) -> MutualTls {
        let binary = Path::new("/usr/sbin/apache2");
        assert!(
            binary.exists(),
            "Apache httpd is not installed: `apt-get install apache2`"
        );
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let d = dir.path();
        // A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by it.
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=atlas-sdk test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
            ],
        );
        signed_by_the_ca(
            d,
            "server",
            "/CN=127.0.0.1",
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
        );
        signed_by_the_ca(
            d,
            "client",
            &format!("/CN={CLIENT_NAME}"),
            "extendedKeyUsage=clientAuth\n",
        );
        // rustls reads PKCS#8 keys.
        openssl(
            d,
            &[
                "pkcs8",
                "-topk8",
                "-nocrypt",
                "-in",
                "client.key",
                "-out",
                "client.pk8",
            ],
        );
        for file in ["server.key", "server.pem", "ca.pem"] {
            std::fs::set_permissions(d.join(file), std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let root = d.join("root");
        for (path, contents) in files {
            let file = root.join(path.trim_start_matches('/'));
            std::fs::create_dir_all(file.parent().unwrap_or(&root)).unwrap();
            std::fs::write(&file, contents).unwrap();
        }
        let port = free_port();
        let modules = crate::apache::MODULES;
        let dd = d.display();
        let config = format!(
            r#"{common}LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule headers_module {modules}/mod_headers.so
LoadModule socache_shmcb_module {modules}/mod_socache_shmcb.so
LoadModule ssl_module {modules}/mod_ssl.so
SSLSessionCache shmcb:{dd}/ssl_cache(512000)
DocumentRoot {root}
<Directory {root}>
    Require all granted
    Header set Content-Type application/json
</Directory>
SSLEngine on
SSLCertificateFile {dd}/server.pem
SSLCertificateKeyFile {dd}/server.key
SSLCACertificateFile {dd}/ca.pem
SSLVerifyClient require
SSLVerifyDepth 1
SSLOptions +StdEnvVars
Header set X-Client-CN "%{{SSL_CLIENT_S_DN_CN}}e"
"#,
            root = root.display(),
            common = crate::apache::common_config(port, d)
        );
        let conf = d.join("httpd.conf");
        std::fs::write(&conf, config).unwrap();
        let mut command = Command::new(binary);
        command.arg("-f").arg(&conf).arg("-DFOREGROUND");
        MutualTls {
            process: PeerProcess::spawn("Apache httpd (mutual TLS)", command, port),
            dir,
        }
    }

    /// `https://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.process.base_url().replacen("http://", "https://", 1)
    }

    /// A file the peer made: `ca.pem` (the CA to trust), `client.pem` and `client.pk8` (the
    /// client's certificate and PKCS#8 key).
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}
