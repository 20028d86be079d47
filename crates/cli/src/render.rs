//! `apigw render`.

pub fn main(args: &[String]) -> i32 {
    let _ = args;
    eprintln!("apigw render: not available in this build");
    1
}
