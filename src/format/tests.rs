//! Exact outputs of the C printfs (recorded from GNU coreutils 9.1 and dash 0.5.12; GNU's
//! long-double results are left out, see docs/containers.md) and of Go's fmt, and the hostile
//! widths and precisions that once exhausted memory.

use serde_json::{json, Value};

use super::c::{printf, Dialect, Dialect::*};
use super::{go, Capped, Full};

fn c(dialect: Dialect, format: &str, args: &[&str]) -> (String, String, i32) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut sink = Capped::new(1 << 20);
    let mut diags = Vec::new();
    let status = printf(dialect, format.as_bytes(), &args, &mut sink, &mut diags).expect("sink has room");
    (String::from_utf8_lossy(&sink.buf).into_owned(), diags.join(";"), status)
}

/// (dialect, format, arguments, stdout, diagnostics joined by `;`, exit status)
type Recorded = (Dialect, &'static str, &'static [&'static str], &'static str, &'static str, i32);

#[rustfmt::skip]
const RECORDED: &[Recorded] = &[
    (Gnu, "%d", &[""], "0", "", 0),
    (Dash, "%d", &[""], "0", "", 0),
    (Gnu, "%d", &[" 12"], "12", "", 0),
    (Dash, "%d", &[" 12"], "12", "", 0),
    (Gnu, "%d", &["12x"], "12", "'12x': value not completely converted", 1),
    (Dash, "%d", &["12x"], "12", "12x: not completely converted", 1),
    (Gnu, "%d", &["x"], "0", "'x': expected a numeric value", 1),
    (Dash, "%d", &["x"], "0", "x: expected numeric value", 1),
    (Gnu, "%d", &["99999999999999999999"], "9223372036854775807", "'99999999999999999999': Numerical result out of range", 1),
    (Dash, "%d", &["99999999999999999999"], "9223372036854775807", "99999999999999999999: Numerical result out of range", 1),
    (Gnu, "%x", &["-1"], "ffffffffffffffff", "", 0),
    (Dash, "%x", &["-1"], "ffffffffffffffff", "", 0),
    (Gnu, "%o", &["-8"], "1777777777777777777770", "", 0),
    (Dash, "%o", &["-8"], "1777777777777777777770", "", 0),
    (Gnu, "%u", &["-1"], "18446744073709551615", "", 0),
    (Dash, "%u", &["-1"], "18446744073709551615", "", 0),
    (Gnu, "%05d", &["-3"], "-0003", "", 0),
    (Dash, "%05d", &["-3"], "-0003", "", 0),
    (Gnu, "%.2f", &["3"], "3.00", "", 0),
    (Dash, "%.2f", &["3"], "3.00", "", 0),
    (Gnu, "%e", &["1234.5"], "1.234500e+03", "", 0),
    (Dash, "%e", &["1234.5"], "1.234500e+03", "", 0),
    (Gnu, "%g", &["0.0001"], "0.0001", "", 0),
    (Dash, "%g", &["0.0001"], "0.0001", "", 0),
    (Gnu, "%g", &["100000"], "100000", "", 0),
    (Dash, "%g", &["100000"], "100000", "", 0),
    (Gnu, "%g", &["1000000"], "1e+06", "", 0),
    (Dash, "%g", &["1000000"], "1e+06", "", 0),
    (Gnu, "%#g", &["1"], "1.00000", "", 0),
    (Dash, "%#g", &["1"], "1.00000", "", 0),
    (Gnu, "%G", &["1e-10"], "1E-10", "", 0),
    (Dash, "%G", &["1e-10"], "1E-10", "", 0),
    (Gnu, "%05f", &["inf"], "  inf", "", 0),
    (Dash, "%05f", &["inf"], "  inf", "", 0),
    (Gnu, "%f", &["-nan"], "-nan", "", 0),
    (Dash, "%f", &["-nan"], "-nan", "", 0),
    (Dash, "%a", &["1"], "0x1p+0", "", 0),
    (Dash, "%a", &["0.1"], "0x1.999999999999ap-4", "", 0),
    (Gnu, "%.0f", &["0.5"], "0", "", 0),
    (Dash, "%.0f", &["0.5"], "0", "", 0),
    (Gnu, "%.0f", &["1.5"], "2", "", 0),
    (Dash, "%.0f", &["1.5"], "2", "", 0),
    (Gnu, "%.0f", &["2.5"], "2", "", 0),
    (Dash, "%.0f", &["2.5"], "2", "", 0),
    (Gnu, "%#x", &["0"], "0", "", 0),
    (Dash, "%#x", &["0"], "0", "", 0),
    (Gnu, "%#o", &["0"], "0", "", 0),
    (Dash, "%#o", &["0"], "0", "", 0),
    (Gnu, "%#o", &["8"], "010", "", 0),
    (Dash, "%#o", &["8"], "010", "", 0),
    (Gnu, "%.3d", &["-5"], "-005", "", 0),
    (Dash, "%.3d", &["-5"], "-005", "", 0),
    (Gnu, "%+.0d", &["0"], "+", "", 0),
    (Dash, "%+.0d", &["0"], "+", "", 0),
    (Gnu, "%c", &["hello"], "h", "", 0),
    (Dash, "%c", &["hello"], "h", "", 0),
    (Gnu, "%s %s", &["a"], "a ", "", 0),
    (Dash, "%s %s", &["a"], "a ", "", 0),
    (Gnu, "%d %d\\n", &["1", "2", "3"], "1 2
3 0
", "", 0),
    (Dash, "%d %d\\n", &["1", "2", "3"], "1 2
3 0
", "", 0),
    (Gnu, "%z", &["1"], "", "%z: invalid conversion specification", 1),
    (Dash, "%z", &["1"], "", "%z: invalid directive", 2),
    (Gnu, "%5%", &[], "", "%5%: invalid conversion specification", 1),
    (Dash, "%5%", &[], "", "%5%: invalid directive", 2),
    (Gnu, "%.3s", &["abcdef"], "abc", "", 0),
    (Dash, "%.3s", &["abcdef"], "abc", "", 0),
    (Gnu, "%i", &["0x1f"], "31", "", 0),
    (Dash, "%i", &["0x1f"], "31", "", 0),
    (Gnu, "%d", &["010"], "8", "", 0),
    (Dash, "%d", &["010"], "8", "", 0),
    (Gnu, "%d", &["'A"], "65", "", 0),
    (Dash, "%d", &["'A"], "65", "", 0),
    (Gnu, "%f", &["0x1p3"], "8.000000", "", 0),
    (Dash, "%f", &["0x1p3"], "8.000000", "", 0),
    (Gnu, "%5s|%-5s|", &["é", "é"], "   é|é   |", "", 0),
    (Dash, "%5s|%-5s|", &["é", "é"], "   é|é   |", "", 0),
    (Gnu, "%*d", &["5", "1"], "    1", "", 0),
    (Dash, "%*d", &["5", "1"], "    1", "", 0),
    (Gnu, "%.*f", &["2", "3.14159"], "3.14", "", 0),
    (Dash, "%.*f", &["2", "3.14159"], "3.14", "", 0),
    (Gnu, "%-05d", &["3"], "3    ", "", 0),
    (Dash, "%-05d", &["3"], "3    ", "", 0),
    (Gnu, "% d", &["5"], " 5", "", 0),
    (Dash, "% d", &["5"], " 5", "", 0),
    (Gnu, "%+d", &["5"], "+5", "", 0),
    (Dash, "%+d", &["5"], "+5", "", 0),
    (Gnu, "%+s", &["x"], "x", "", 0),
    (Dash, "%+s", &["x"], "x", "", 0),
    (Gnu, "% x", &["255"], "ff", "", 0),
    (Dash, "% x", &["255"], "ff", "", 0),
    (Gnu, "%#X", &["255"], "0XFF", "", 0),
    (Dash, "%#X", &["255"], "0XFF", "", 0),
    (Gnu, "%E", &["0"], "0.000000E+00", "", 0),
    (Dash, "%E", &["0"], "0.000000E+00", "", 0),
    (Gnu, "%F", &["inf"], "INF", "", 0),
    (Dash, "%F", &["inf"], "INF", "", 0),
    (Gnu, "%5.1f|%-8.3e|%+g", &["3.14159", "2.5", "-0"], "  3.1|2.500e+00|-0", "", 0),
    (Dash, "%5.1f|%-8.3e|%+g", &["3.14159", "2.5", "-0"], "  3.1|2.500e+00|-0", "", 0),
    (Gnu, "%#.3g|%#.0f|%#.0e", &["1", "2", "3"], "1.00|2.|3.e+00", "", 0),
    (Dash, "%#.3g|%#.0f|%#.0e", &["1", "2", "3"], "1.00|2.|3.e+00", "", 0),
    (Gnu, "%.3g", &["1234567"], "1.23e+06", "", 0),
    (Dash, "%.3g", &["1234567"], "1.23e+06", "", 0),
    (Gnu, "%.10g", &["0.1"], "0.1", "", 0),
    (Dash, "%.10g", &["0.1"], "0.1", "", 0),
    (Gnu, "%g", &["1e-5"], "1e-05", "", 0),
    (Dash, "%g", &["1e-5"], "1e-05", "", 0),
    (Gnu, "%x", &["3.5"], "3", "'3.5': value not completely converted", 1),
    (Dash, "%x", &["3.5"], "3", "3.5: not completely converted", 1),
    (Gnu, "%f", &["3x"], "3.000000", "'3x': value not completely converted", 1),
    (Dash, "%f", &["3x"], "3.000000", "3x: not completely converted", 1),
    (Gnu, "%08.3f", &["-3.14159"], "-003.142", "", 0),
    (Dash, "%08.3f", &["-3.14159"], "-003.142", "", 0),
    (Gnu, "% 08.2e", &["31.4"], " 3.14e+01", "", 0),
    (Dash, "% 08.2e", &["31.4"], " 3.14e+01", "", 0),
    (Dash, "%.20f", &["0.1"], "0.10000000000000000555", "", 0),
    (Dash, "%.30e", &["1e-300"], "1.000000000000000025059091835209e-300", "", 0),
    (Gnu, "%g", &["123456789"], "1.23457e+08", "", 0),
    (Dash, "%g", &["123456789"], "1.23457e+08", "", 0),
    (Gnu, "%.15g", &["0.1"], "0.1", "", 0),
    (Dash, "%.15g", &["0.1"], "0.1", "", 0),
    (Gnu, "%#.10g", &["123"], "123.0000000", "", 0),
    (Dash, "%#.10g", &["123"], "123.0000000", "", 0),
    (Gnu, "%.0e", &["12345"], "1e+04", "", 0),
    (Dash, "%.0e", &["12345"], "1e+04", "", 0),
    (Dash, "%.1a", &["1.96875"], "0x2.0p+0", "", 0),
    (Dash, "%.0a", &["1.5"], "0x2p+0", "", 0),
    (Dash, "%A", &["255.5"], "0X1.FFP+7", "", 0),
    (Gnu, "%#x", &["255"], "0xff", "", 0),
    (Dash, "%#x", &["255"], "0xff", "", 0),
    (Gnu, "%#08x", &["255"], "0x0000ff", "", 0),
    (Dash, "%#08x", &["255"], "0x0000ff", "", 0),
    (Gnu, "%-#8o|", &["8"], "010     |", "", 0),
    (Dash, "%-#8o|", &["8"], "010     |", "", 0),
    (Gnu, "%'d", &["1000"], "1000", "", 0),
    (Dash, "%'d", &["1000"], "", "%': invalid directive", 2),
    (Gnu, "a\\x41\\101\\0101\\cb", &[], "aAA1", "", 0),
    (Dash, "a\\x41\\101\\0101\\cb", &[], "a\\x41A1\\cb", "", 0),
    (Gnu, "%b", &["\\0101\\101\\x41\\q\\c"], "AAA\\q", "", 0),
    (Dash, "%b", &["\\0101\\101\\x41\\q\\c"], "AA\\x41\\q", "", 0),
    (Gnu, "%b|%s", &["a\\nb", "c"], "a
b|c", "", 0),
    (Dash, "%b|%s", &["a\\nb", "c"], "a
b|c", "", 0),
    (Gnu, "%ld %hhd", &["5", "300"], "5 300", "", 0),
    (Dash, "%ld %hhd", &["5", "300"], "", "%l: invalid directive", 2),
    (Gnu, "%5", &["1"], "", "%5: invalid conversion specification", 1),
    (Dash, "%5", &["1"], "", "missing format character", 2),
    (Gnu, "%-", &[], "", "%-: invalid conversion specification", 1),
    (Dash, "%-", &[], "", "missing format character", 2),
    (Gnu, "%-+ 8.3d|", &["42"], "+042    |", "", 0),
    (Dash, "%-+ 8.3d|", &["42"], "+042    |", "", 0),
    (Gnu, "%+u", &["5"], "5", "", 0),
    (Dash, "%+u", &["5"], "5", "", 0),
    (Gnu, "%10.4s|", &["abcdefgh"], "      abcd|", "", 0),
    (Dash, "%10.4s|", &["abcdefgh"], "      abcd|", "", 0),
    (Gnu, "%.0g", &["0.5"], "0.5", "", 0),
    (Dash, "%.0g", &["0.5"], "0.5", "", 0),
    (Gnu, "%g", &["0"], "0", "", 0),
    (Dash, "%g", &["0"], "0", "", 0),
    (Gnu, "%g", &["-0.00001234"], "-1.234e-05", "", 0),
    (Dash, "%g", &["-0.00001234"], "-1.234e-05", "", 0),
    (Dash, "%.3e", &["9.9995"], "9.999e+00", "", 0),
    (Gnu, "%.2f", &["2.675"], "2.67", "", 0),
    (Dash, "%.2f", &["2.675"], "2.67", "", 0),
    (Gnu, "%x %X %o", &["255", "255", "255"], "ff FF 377", "", 0),
    (Dash, "%x %X %o", &["255", "255", "255"], "ff FF 377", "", 0),
    (Gnu, "%d", &["-9223372036854775808"], "-9223372036854775808", "", 0),
    (Dash, "%d", &["-9223372036854775808"], "-9223372036854775808", "", 0),
    (Gnu, "%d", &["-9223372036854775809"], "-9223372036854775808", "'-9223372036854775809': Numerical result out of range", 1),
    (Dash, "%d", &["-9223372036854775809"], "-9223372036854775808", "-9223372036854775809: Numerical result out of range", 1),
    (Gnu, "%u", &["18446744073709551616"], "18446744073709551615", "'18446744073709551616': Numerical result out of range", 1),
    (Dash, "%u", &["18446744073709551616"], "18446744073709551615", "18446744073709551616: Numerical result out of range", 1),
    (Gnu, "%q", &["it's"], "\"it's\"", "", 0),
    (Dash, "%q", &["it's"], "", "%q: invalid directive", 2),
    (Gnu, "%q", &["a b"], "'a b'", "", 0),
    (Dash, "%q", &["a b"], "", "%q: invalid directive", 2),
    (Gnu, "%q", &["abc"], "abc", "", 0),
    (Dash, "%q", &["abc"], "", "%q: invalid directive", 2),
    (Gnu, "%s", &["%d"], "%d", "", 0),
    (Dash, "%s", &["%d"], "%d", "", 0),
];

#[test]
fn c_printf_matches_the_recorded_tools() {
    for (dialect, format, args, out, diag, status) in RECORDED {
        assert_eq!(
            c(*dialect, format, args),
            (out.to_string(), diag.to_string(), *status),
            "{dialect:?} {format:?} {args:?}"
        );
    }
}

#[test]
fn c_precision_past_rusts_limit_is_exact() {
    let (out, _, status) = c(Gnu, "%.70000f", &["1"]);
    assert_eq!((out.len(), &out[..4], status), (70002, "1.00", 0));
    assert!(out[2..].bytes().all(|b| b == b'0'));
    let (out, _, _) = c(Dash, "%.70000e", &["0.1"]);
    assert_eq!((out.len(), &out[..20], &out[out.len() - 4..]), (70006, "1.000000000000000055", "e-01"));
}

#[test]
fn c_widths_past_int_max_fail_as_glibc_does() {
    for f in ["a%99999999999sb", "a%-9999999999999999999sb", "a%.2147483648fb", "a%2147483648db", "a%.2147483646fb"] {
        assert_eq!(c(Gnu, f, &["1"]), ("ab".into(), "write error".into(), 1), "{f}");
        assert_eq!(c(Dash, f, &["1"]), ("a".into(), "xvsnprintf failed".into(), 2), "{f}");
    }
    assert_eq!(c(Gnu, "%*d", &["99999999999", "1"]), ("".into(), "invalid field width: '99999999999'".into(), 1));
}

#[test]
fn c_huge_widths_stop_when_the_sink_is_full() {
    for (f, arg) in [("%0999999999d", "1"), ("%2147483647s", "x"), ("%-2147483647s", "x"), ("%.2147483645f", "1")] {
        let mut sink = Capped::new(1 << 20);
        let result = printf(Gnu, f.as_bytes(), &[arg.to_string()], &mut sink, &mut Vec::new());
        assert_eq!((result, sink.buf.len()), (Err(Full), 1 << 20), "{f}");
    }
}

fn g(format: &str, args: &[Value]) -> String {
    let args: Vec<Option<&Value>> = args.iter().map(Some).collect();
    let mut sink = Capped::new(1 << 24);
    go::sprintf(format, &args, &mut sink).expect("sink has room");
    String::from_utf8(sink.buf).expect("utf-8")
}

#[test]
fn go_sprintf_verbs_and_flags() {
    let cases: &[(&str, Value, &str)] = &[
        ("%d", json!(-3), "-3"),
        ("%05d", json!(-3), "-0003"),
        ("%-5d|", json!(-3), "-3   |"),
        ("%+d", json!(3), "+3"),
        ("%x", json!(-255), "-ff"),
        ("%X", json!(255), "FF"),
        ("%#x", json!(0), "0x0"),
        ("%#08x", json!(255), "0x000000ff"),
        ("%o", json!(8), "10"),
        ("%#o", json!(8), "010"),
        ("%O", json!(8), "0o10"),
        ("%b", json!(5), "101"),
        ("%.3d", json!(7), "007"),
        ("%5.0d|", json!(0), "     |"),
        ("%c", json!(65), "A"),
        ("%q", json!(65), "'A'"),
        ("%U", json!(233), "U+00E9"),
        ("%#U", json!(233), "U+00E9 'é'"),
        ("%f", json!(3.0), "3.000000"),
        ("%.2f", json!(1.23456), "1.23"),
        ("%.2f", json!(3), "%!f(int=3)"),
        ("%e", json!(1234.5), "1.234500e+03"),
        ("%E", json!(0.000123), "1.230000E-04"),
        ("%g", json!(0.0001), "0.0001"),
        ("%g", json!(1e6), "1e+06"),
        ("%g", json!(123456.0), "123456"),
        ("%g", json!(0.1), "0.1"),
        ("%.3g", json!(1234567.0), "1.23e+06"),
        ("%v", json!(1e21), "1e+21"),
        ("%v", json!(2.5), "2.5"),
        ("%08.3f", json!(-1.23456), "-001.235"),
        ("%+.1e", json!(12.0), "+1.2e+01"),
        ("%x", json!(1.5), "0x1.8p+00"),
        ("%s", json!("héllo"), "héllo"),
        ("%.2s", json!("héllo"), "hé"),
        ("%6s|", json!("é"), "     é|"),
        ("%-4s|", json!("ab"), "ab  |"),
        ("%05s", json!("ab"), "   ab"),
        ("%q", json!("a\"b\n\u{1}é"), r#""a\"b\n\x01é""#),
        ("%+q", json!("é"), r#""\u00e9""#),
        ("%#q", json!("a\"b"), "`a\"b`"),
        ("%x", json!("hi"), "6869"),
        ("% X", json!("hi"), "68 69"),
        ("%#x", json!("hi"), "0x6869"),
        ("%t", json!(true), "true"),
        ("%d", json!(true), "%!d(bool=true)"),
        ("%d", json!("a"), "%!d(string=a)"),
        ("%v", json!([1, "a", null]), "[1 a <nil>]"),
        ("%03d", json!([1, 2]), "[001 002]"),
        ("%v", json!({"b": 1, "a": [true]}), "map[a:[true] b:1]"),
        ("%T", json!({"a": 1}), "map[string]interface {}"),
        ("%T", json!([1]), "[]interface {}"),
        ("%5.1f%%", json!(99.44), " 99.4%"),
        ("%z", json!(1), "%!z(int=1)"),
    ];
    for (f, v, want) in cases {
        assert_eq!(g(f, std::slice::from_ref(v)), *want, "{f} {v}");
    }
}

#[test]
fn go_sprintf_argument_errors() {
    assert_eq!(g("%d %d", &[json!(1)]), "1 %!d(MISSING)");
    assert_eq!(g("%d", &[json!(1), json!("x")]), "1%!(EXTRA string=x)");
    assert_eq!(g("%[2]d %[1]d", &[json!(1), json!(2)]), "2 1");
    assert_eq!(g("%[3]d", &[json!(1)]), "%!d(BADINDEX)");
    assert_eq!(g("%*d|", &[json!(4), json!(7)]), "   7|");
    assert_eq!(g("%-*d|", &[json!(-4), json!(7)]), "7   |");
    assert_eq!(g("%*d", &[json!("x"), json!(7)]), "%!(BADWIDTH)7");
    assert_eq!(g("%", &[]), "%!(NOVERB)");
    assert_eq!(g("%5.", &[json!(1)]), "%!.(int=1)");
    let mut sink = Capped::new(64);
    go::sprintf("%s|%d", &[None, Some(&Value::Null)], &mut sink).expect("room");
    assert_eq!(String::from_utf8_lossy(&sink.buf), "%!s(<nil>)|%!d(<nil>)");
}

#[test]
fn go_widths_past_a_million_end_the_format() {
    assert_eq!(g("a%99999999999sb", &[json!("x")]), "a%!(NOVERB)%!(EXTRA string=x)");
    assert_eq!(g("%-9999999999999999999s", &[json!("x")]), "%!(NOVERB)%!(EXTRA string=x)");
    assert_eq!(g("%0999999999d", &[json!(1)]), "%!(NOVERB)%!(EXTRA int=1)");
    assert_eq!(g("%.99999999f", &[json!(1.0)]), "%!(NOVERB)%!(EXTRA float64=1)");
    // Go's parser stops growing a number only once it is past 10^6, so 10^7 still counts.
    assert_eq!(g("%10000000d", &[json!(1)]).len(), 10_000_000);
    let out = g("%.70000f", &[json!(1.0)]);
    assert_eq!((out.len(), &out[..3]), (70002, "1.0"));
}
