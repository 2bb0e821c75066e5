//! Reports whether this machine is ready for the course: libtorch, CUDA, MNIST, the Rust kernel.
//! Exits with status 1 when something needs fixing.
fn main() {
    let findings = course::doctor::diagnose();
    print!("{}", course::doctor::report(&findings));
    if findings.iter().all(|f| f.ok) {
        println!("Everything is ready.");
    } else {
        std::process::exit(1);
    }
}
