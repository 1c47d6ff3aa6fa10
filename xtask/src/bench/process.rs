//! Running a child process and learning its wall time and peak memory.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// What a finished child cost.
pub(crate) struct Measured {
    pub output: Output,
    pub wall: Duration,
    /// Peak resident set of the child or of any descendant it waited for (for `cargo check`:
    /// the largest `rustc`), in KiB.
    pub peak_kib: u64,
    /// CPU time (user and system) of the child and the descendants it waited for (not of a
    /// daemon it never reaps, such as a compiler cache's server). Wall time above
    /// it is time the child waited: for the disk, or for a host that took the CPU away.
    pub cpu: Duration,
}

/// Runs `command` to completion, capturing stdout and stderr.
///
/// Peak memory comes from `wait4`, the call `/usr/bin/time` uses: on Linux its `ru_maxrss`
/// covers the child and the descendants it reaped, which is what a user of `cargo` feels.
pub(crate) fn run(command: &mut Command) -> Result<Measured> {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let pid = libc::pid_t::try_from(child.id()).context("child pid out of range")?;
    // Read the pipes on threads so the child never blocks on a full one.
    let mut child = child;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out_reader = read(stdout.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let err_reader = read(stderr.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let (status, peak_kib, cpu) = wait4(pid)?;
    let wall = started.elapsed();
    let output = Output {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    };
    Ok(Measured {
        output,
        wall,
        peak_kib,
        cpu,
    })
}

/// Like [`run`], failing with the child's stderr when it does not succeed.
pub(crate) fn run_ok(command: &mut Command) -> Result<Measured> {
    let description = format!("{command:?}");
    let measured = run(command)?;
    if !measured.output.status.success() {
        bail!(
            "{description} failed ({}):\n{}",
            measured.output.status,
            String::from_utf8_lossy(&measured.output.stderr)
        );
    }
    Ok(measured)
}

fn wait4(pid: libc::pid_t) -> Result<(std::process::ExitStatus, u64, Duration)> {
    use std::os::unix::process::ExitStatusExt;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; both pointers are to live locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("waiting for a child process");
        }
    }
    let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    let cpu = duration(usage.ru_utime) + duration(usage.ru_stime);
    Ok((std::process::ExitStatus::from_raw(status), peak, cpu))
}

fn duration(time: libc::timeval) -> Duration {
    let seconds = u64::try_from(time.tv_sec).unwrap_or(0);
    let micros = u64::try_from(time.tv_usec).unwrap_or(0);
    Duration::from_secs(seconds) + Duration::from_micros(micros)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_child_reports_its_cpu_time_and_a_sleeping_one_little() {
        let busy = run_ok(
            Command::new("sh").args(["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"]),
        )
        .expect("sh runs");
        let idle = run_ok(Command::new("sleep").arg("0.3")).expect("sleep runs");
        assert!(busy.cpu > Duration::from_millis(50), "{:?}", busy.cpu);
        assert!(busy.cpu > idle.cpu, "{:?} against {:?}", busy.cpu, idle.cpu);
        assert!(idle.wall >= Duration::from_millis(300));
        assert!(idle.cpu < Duration::from_millis(100), "{:?}", idle.cpu);
    }
}
