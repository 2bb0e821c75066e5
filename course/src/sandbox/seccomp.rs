//! The seccomp filter bubblewrap installs for a graded program: no network socket (only
//! `AF_UNIX`, which in its own network namespace and file view reaches nothing), no io_uring (which
//! could open one), and none of the calls that read or write another process's memory.

use anyhow::{Context, Result};
use std::io::{Seek, Write};
use std::os::fd::OwnedFd;

const LD_W_ABS: u16 = 0x20;
const JEQ_K: u16 = 0x15;
const JGE_K: u16 = 0x35;
const RET_K: u16 = 0x06;
const ALLOW: u32 = 0x7fff_0000;
const DENY: u32 = 0x0005_0000 | libc::EACCES as u32;
const ARCH_X86_64: u32 = 0xc000_003e;
const ARCH_AARCH64: u32 = 0xc000_00b7;
const AF_UNIX: u32 = 1;

/// `socket` and the calls refused outright, per architecture.
struct Calls {
    arch: u32,
    socket: u32,
    refused: &'static [u32],
}

const ARCHES: [Calls; 2] = [
    Calls {
        arch: ARCH_X86_64,
        socket: 41,
        // io_uring_setup, ptrace, process_vm_readv, process_vm_writev, bpf, perf_event_open,
        // add_key, keyctl, request_key, userfaultfd
        refused: &[425, 101, 310, 311, 321, 298, 248, 250, 249, 323],
    },
    Calls {
        arch: ARCH_AARCH64,
        socket: 198,
        refused: &[425, 117, 270, 271, 280, 241, 217, 219, 218, 282],
    },
];

#[derive(Clone, Copy)]
struct Op {
    code: u16,
    jt: u8,
    jf: u8,
    k: u32,
}

fn op(code: u16, k: u32) -> Op {
    Op {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

/// The filter as classic BPF, one block per architecture; another architecture is let through
/// (the namespaces still hold there).
fn program() -> Vec<Op> {
    let mut ops = vec![op(LD_W_ABS, 4)];
    for calls in &ARCHES {
        // arch != this one: skip the block.
        let block_len = 4 + calls.refused.len() + 4;
        ops.push(Op {
            code: JEQ_K,
            jt: 0,
            jf: block_len as u8,
            k: calls.arch,
        });
        ops.push(op(LD_W_ABS, 0));
        // x32 system calls on x86_64 (bit 30); no such numbers on aarch64.
        ops.push(Op {
            code: JGE_K,
            jt: (calls.refused.len() + 4) as u8,
            jf: 0,
            k: 0x4000_0000,
        });
        for (i, nr) in calls.refused.iter().enumerate() {
            ops.push(Op {
                code: JEQ_K,
                jt: (calls.refused.len() - i + 3) as u8,
                jf: 0,
                k: *nr,
            });
        }
        // socket(domain, …): only AF_UNIX.
        ops.push(Op {
            code: JEQ_K,
            jt: 0,
            jf: 2,
            k: calls.socket,
        });
        ops.push(op(LD_W_ABS, 16));
        ops.push(Op {
            code: JEQ_K,
            jt: 0,
            jf: 1,
            k: AF_UNIX,
        });
        ops.push(op(RET_K, ALLOW));
        ops.push(op(RET_K, DENY));
        // Back to the architecture for the next block's test.
        ops.push(op(LD_W_ABS, 4));
    }
    ops.push(op(RET_K, ALLOW));
    ops
}

/// The compiled filter in an unnamed file, at its start, as bubblewrap's `--seccomp` reads it.
pub(super) fn program_file() -> Result<OwnedFd> {
    let mut bytes = Vec::new();
    for o in program() {
        bytes.extend_from_slice(&o.code.to_ne_bytes());
        bytes.push(o.jt);
        bytes.push(o.jf);
        bytes.extend_from_slice(&o.k.to_ne_bytes());
    }
    let mut file = tempfile::tempfile().context("cannot make the sandbox's seccomp file")?;
    file.write_all(&bytes)?;
    file.rewind()?;
    Ok(file.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the filter on one call the way the kernel does.
    fn verdict(arch: u32, nr: u32, arg0: u32) -> u32 {
        let ops = program();
        let data = |offset: u32| match offset {
            0 => nr,
            4 => arch,
            16 => arg0,
            _ => panic!("offset {offset}"),
        };
        let (mut pc, mut acc) = (0usize, 0u32);
        loop {
            let o = ops[pc];
            match o.code {
                LD_W_ABS => acc = data(o.k),
                RET_K => return o.k,
                JEQ_K | JGE_K => {
                    let hit = if o.code == JEQ_K {
                        acc == o.k
                    } else {
                        acc >= o.k
                    };
                    pc += if hit { o.jt as usize } else { o.jf as usize };
                }
                _ => panic!("op {:x}", o.code),
            }
            pc += 1;
        }
    }

    #[test]
    fn network_sockets_and_memory_peeking_are_refused_and_the_rest_allowed() {
        for calls in &ARCHES {
            assert_eq!(verdict(calls.arch, calls.socket, 2), DENY, "AF_INET");
            assert_eq!(verdict(calls.arch, calls.socket, 10), DENY, "AF_INET6");
            assert_eq!(verdict(calls.arch, calls.socket, 16), DENY, "AF_NETLINK");
            assert_eq!(verdict(calls.arch, calls.socket, AF_UNIX), ALLOW);
            for nr in calls.refused {
                assert_eq!(verdict(calls.arch, *nr, 0), DENY, "call {nr}");
            }
            for nr in [0, 1, 2, 3, 9, 56, 57, 60, 231] {
                if nr != calls.socket && !calls.refused.contains(&nr) {
                    assert_eq!(verdict(calls.arch, nr, 2), ALLOW, "call {nr}");
                }
            }
        }
        assert_eq!(verdict(ARCH_X86_64, 0x4000_0000 + 41, 2), DENY, "x32");
        assert_eq!(verdict(0x4000_0028, 41, 2), ALLOW, "another architecture");
    }
}
