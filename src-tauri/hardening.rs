//! Process hardening, first thing at start: no core dumps (`RLIMIT_CORE` = 0) and
//! not dumpable (`PR_SET_DUMPABLE` = 0), so neither a crash nor another process of
//! the same user (ptrace, /proc/PID/mem) can lift keys or decrypted rows out of the
//! running Packplan's memory. Linux only; elsewhere it does nothing.

/// Applies the hardening; failures are ignored (the app still runs, as it would
/// have without it) because they only happen under unusual sandboxes.
pub fn harden() {
    #[cfg(target_os = "linux")]
    // SAFETY: setrlimit and prctl are called with valid arguments and touch only this process.
    unsafe {
        let none = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        libc::setrlimit(libc::RLIMIT_CORE, &none);
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn no_core_dumps_and_not_dumpable() {
        super::harden();
        // SAFETY: plain queries of this process's own settings.
        unsafe {
            assert_eq!(libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
            let mut limit = libc::rlimit { rlim_cur: 1, rlim_max: 1 };
            assert_eq!(libc::getrlimit(libc::RLIMIT_CORE, &mut limit), 0);
            assert_eq!((limit.rlim_cur, limit.rlim_max), (0, 0));
        }
    }
}
