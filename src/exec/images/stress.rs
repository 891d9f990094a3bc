//! `stress` 1.0.4 (the `polinux/stress` image of kubernetes.io's memory pages): it forks the hogs
//! it is asked for and runs until its `--timeout`. Only memory is simulated: `--vm N` workers of
//! `--vm-bytes B` each touch what they allocate at once, so when N × B is more than the container
//! may use (its memory limit, else the node's allocatable memory) the kernel's OOM killer ends the
//! whole container (cgroup v2 `memory.oom.group`, which the v1.32 kubelet sets), exit code 137.

use crate::exec::interp::{Flow, Res, Shell};
use crate::exec::io::Io;

/// `stress`'s default `--vm-bytes` (256MB).
const DEFAULT_VM_BYTES: i64 = 256 << 20;

/// PID 1's messages carry its PID; the main process of a container is PID 1.
const PID: u32 = 1;

/// What the command line asks for.
#[derive(Debug, Default, PartialEq)]
struct Plan {
    cpu: i64,
    io: i64,
    vm: i64,
    vm_bytes: i64,
    hdd: i64,
    timeout: i64,
    quiet: bool,
    help: bool,
    version: bool,
}

pub fn stress(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let name = argv.first().map(|a| crate::exec::path::basename_of(a)).unwrap_or_else(|| "stress".to_string());
    let plan = parse(&argv[1..]);
    if plan.version {
        io.out(format!("{name} 1.0.4\n").as_bytes()).ok();
        return Ok(0);
    }
    if plan.help || plan.cpu + plan.io + plan.vm + plan.hdd == 0 {
        io.out(usage(&name).as_bytes()).ok();
        return Ok(0);
    }
    // Resumed after its timeout's sleep: what came before it was done in an earlier run.
    let resuming = sh.timed.as_ref().is_some_and(|t| !t.resume.is_empty());
    if !resuming {
        if !plan.quiet {
            let hogs = format!("{} cpu, {} io, {} vm, {} hdd", plan.cpu, plan.io, plan.vm, plan.hdd);
            io.out(format!("{name}: info: [{PID}] dispatching hogs: {hogs}\n").as_bytes()).ok();
        }
        let wanted = plan.vm.saturating_mul(plan.vm_bytes);
        let limit = sh.fs.c.memory_limit;
        if limit > 0 && wanted > 0 && u64::try_from(wanted).unwrap_or(u64::MAX) > limit {
            sh.flush_log(io);
            if let Some(t) = sh.timed.as_mut() {
                t.oom_killed = Some(t.clock);
            }
            return Err(Flow::Exit(crate::exec::KILLED_CODE));
        }
    }
    if plan.timeout == 0 {
        if !sh.is_timed() {
            // Run by `exec`, where time does not pass: it would never end.
            io.err(&format!("{name}: without --timeout it runs until stopped, which `exec` cannot wait for\n"));
            return Ok(126);
        }
        // It runs until it is stopped.
        return sh.sleep_for(None, io);
    }
    // In `exec` the timeout passes at once, as `sleep` does there.
    sh.sleep_for(Some(plan.timeout.saturating_mul(1000)), io)?;
    if !plan.quiet {
        let line = format!("{name}: info: [{PID}] successful run completed in {}s\n", plan.timeout);
        io.out(line.as_bytes()).ok();
    }
    Ok(0)
}

/// The options stress 1.0.4 reads. Malformed values and unknown options, which stress refuses
/// with a message naming a line of its source, are ignored.
fn parse(args: &[String]) -> Plan {
    let mut plan = Plan { vm_bytes: DEFAULT_VM_BYTES, ..Plan::default() };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |size: bool| -> i64 {
            it.next().and_then(|v| if size { size_value(v) } else { time_value(v) }).unwrap_or(0)
        };
        match arg.as_str() {
            "--help" | "-?" => plan.help = true,
            "--version" => plan.version = true,
            "--quiet" | "-q" => plan.quiet = true,
            "--timeout" | "-t" => plan.timeout = value(false),
            "--cpu" | "-c" => plan.cpu = value(true),
            "--io" | "-i" => plan.io = value(true),
            "--vm" | "-m" => plan.vm = value(true),
            "--vm-bytes" => plan.vm_bytes = value(true),
            "--hdd" | "-d" => plan.hdd = value(true),
            "--backoff" | "--vm-stride" | "--vm-hang" | "--hdd-bytes" => {
                value(true);
            }
            _ => {}
        }
        if plan.help || plan.version {
            break;
        }
    }
    plan
}

/// `atoll_b`: a number (C's `%lli`: decimal, `0x` hex, `0` octal) with an optional `b`, `k`,
/// `m` or `g` suffix, in powers of 1024.
fn size_value(s: &str) -> Option<i64> {
    let shift = match s.chars().last()?.to_ascii_lowercase() {
        'b' => 0,
        'k' => 10,
        'm' => 20,
        'g' => 30,
        c if c.is_ascii_digit() => 0,
        _ => return None,
    };
    Some(leading_number(s)?.checked_shl(shift).unwrap_or(i64::MAX))
}

/// `atoll_s`: a number of seconds with an optional `s`, `m`, `h`, `d` or `y` suffix.
fn time_value(s: &str) -> Option<i64> {
    let factor = match s.chars().last()?.to_ascii_lowercase() {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'y' => 365 * 86_400,
        c if c.is_ascii_digit() => 1,
        _ => return None,
    };
    Some(leading_number(s)?.saturating_mul(factor))
}

/// The number `sscanf("%lli")` reads at the start of `s`.
fn leading_number(s: &str) -> Option<i64> {
    let (negative, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, digits) = if let Some(h) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        (16, h)
    } else if rest.len() > 1 && rest.starts_with('0') {
        (8, &rest[1..])
    } else {
        (10, rest)
    };
    let end = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
    let n = i64::from_str_radix(&digits[..end], radix).ok()?;
    Some(if negative { -n } else { n })
}

fn usage(name: &str) -> String {
    format!(
        "`{name}' imposes certain types of compute stress on your system\n\n\
         Usage: {name} [OPTION [ARG]] ...\n \
         -?, --help         show this help statement\n     \
         --version      show version statement\n \
         -v, --verbose      be verbose\n \
         -q, --quiet        be quiet\n \
         -n, --dry-run      show what would have been done\n \
         -t, --timeout N    timeout after N seconds\n     \
         --backoff N    wait factor of N microseconds before work starts\n \
         -c, --cpu N        spawn N workers spinning on sqrt()\n \
         -i, --io N         spawn N workers spinning on sync()\n \
         -m, --vm N         spawn N workers spinning on malloc()/free()\n     \
         --vm-bytes B   malloc B bytes per vm worker (default is 256MB)\n     \
         --vm-stride B  touch a byte every B bytes (default is 4096)\n     \
         --vm-hang N    sleep N secs before free (default none, 0 is inf)\n     \
         --vm-keep      redirty memory instead of freeing and reallocating\n \
         -d, --hdd N        spawn N workers spinning on write()/unlink()\n     \
         --hdd-bytes B  write B bytes per hdd worker (default is 1GB)\n\n\
         Example: {name} --cpu 8 --io 4 --vm 2 --vm-bytes 128M --timeout 10s\n\n\
         Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn sizes_are_powers_of_1024_and_times_take_their_units() {
        assert_eq!(size_value("150M"), Some(150 << 20));
        assert_eq!(size_value("1g"), Some(1 << 30));
        assert_eq!(size_value("4096"), Some(4096));
        assert_eq!(size_value("0x10k"), Some(16 << 10));
        assert_eq!(size_value("5x"), None);
        assert_eq!(time_value("2m"), Some(120));
        assert_eq!(time_value("10"), Some(10));
    }

    #[test]
    fn the_memory_pages_command_line_asks_for_one_vm_worker() {
        let plan = parse(&args("--vm 1 --vm-bytes 250M --vm-hang 1"));
        assert_eq!(plan, Plan { vm: 1, vm_bytes: 250 << 20, ..Plan::default() });
        assert_eq!(parse(&args("-c 2")).vm_bytes, DEFAULT_VM_BYTES);
    }

    #[test]
    fn the_usage_lines_up_as_stress_prints_it() {
        let text = usage("stress");
        assert!(text.contains("\n -?, --help         show this help statement\n     --version      show version"));
        assert!(text.ends_with("(time) or B,K,M,G (size).\n"));
    }
}
