#!/usr/bin/env python3
"""Fails if a function C can call has no panic boundary.

Every `extern "C" fn` defined under src/ (exports in capi/, type slots in objects/ and
protocols/) must run its body through the boundary: `api!`, `boundary!`, or a
`runtime::boundary` function (`guard`, `guard_or`, `with_thread_state`, `slot`). A
panic unwinding out of any other would abort the host process. The naked variadic
trampolines of capi/varargs.rs are exempt: they only jump to C, which calls exports.

Before it checks the tree, the checker runs itself on planted samples, so that a
checker that can no longer see a missing boundary fails instead of passing.
"""
import pathlib
import re
import sys

BOUNDARY_STARTS = ("api!(", "boundary!(", "boundary::", "crate::runtime::boundary::")
FN = re.compile(r'extern "C" fn\s+([$\w]+)\s*\(')


def body_after(src, start):
    """The text of the body of the function whose parameter list starts at `start`,
    or None for a declaration or a function-pointer type."""
    depth, j = 1, start
    while depth:
        depth += {"(": 1, ")": -1}.get(src[j], 0)
        j += 1
    while src[j] not in "{;,)=":
        j += 1
    if src[j] != "{":
        return None
    depth, k = 0, j
    while True:
        depth += {"{": 1, "}": -1}.get(src[k], 0)
        if depth == 0:
            return src[j + 1 : k]
        k += 1


def first_statement(body):
    """The body without the comment lines that may stand before its first statement."""
    lines = body.strip().split("\n")
    while lines and lines[0].strip().startswith("//"):
        lines.pop(0)
    return "\n".join(lines).strip()


def unguarded(src):
    """Names of the functions in `src` whose body does not start at the boundary."""
    missing = []
    for m in FN.finditer(src):
        preceding = src[max(0, m.start() - 200) : m.start()]
        if "#[unsafe(naked)]" in preceding.split("\n\n")[-1]:
            continue
        body = body_after(src, m.end())
        if body is not None and not first_statement(body).startswith(BOUNDARY_STARTS):
            missing.append(m.group(1))
    return missing


PLANTED = [
    ('unsafe extern "C" fn bare(o: *mut PyObject) -> c_int {\n    size(o)\n}\n', ["bare"]),
    ('unsafe extern "C" fn ok(o: *mut PyObject) -> c_int {\n    boundary::guard(|| size(o))\n}\n', []),
    ('pub extern "C" fn api_ok() -> c_int {\n    api!(|ts| 0)\n}\n', []),
    ('extern "C" fn noted() -> c_int {\n    // why\n    boundary::guard(|| 0)\n}\n', []),
    ('extern "C" fn noted_bare() -> c_int {\n    // why\n    size(o)\n}\n', ["noted_bare"]),
    ('type Slot = unsafe extern "C" fn(*mut PyObject) -> c_int;\n', []),
    ('#[unsafe(naked)]\npub unsafe extern "C" fn jump() {\n    naked_asm!("jmp x")\n}\n', []),
]


def self_test():
    for sample, expected in PLANTED:
        if unguarded(sample) != expected:
            print(f"check_boundary: self-test failed on:\n{sample}", file=sys.stderr)
            return False
    return True


def main():
    if not self_test():
        return 1
    root = pathlib.Path(__file__).resolve().parent.parent / "src"
    bad = []
    for path in sorted(root.rglob("*.rs")):
        for name in unguarded(path.read_text()):
            bad.append(f"{path.relative_to(root.parent)}: {name}")
    for line in bad:
        print(f"no panic boundary: {line}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
