//! Compile-time rules of the macros: every `ui/fail` case must fail with the
//! committed `.stderr`, every `ui/pass` case must build and run.
//! Regenerate after a reviewed change with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
