//! `apigw run`.

pub fn main(args: &[String]) -> i32 {
    let _ = args;
    eprintln!("apigw run: not available in this build");
    1
}
