fn main() {
    eprintln!("apigw: no subcommands yet");
    std::process::exit(2);
}
