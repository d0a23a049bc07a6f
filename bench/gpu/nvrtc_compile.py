#!/usr/bin/env python3
"""Compiles emma4j's CUDA kernels with the NVRTC of this machine, for a driver too old for the fatbin.

    nvrtc_compile.py SOURCE_DIR OUT_FILE --arch sm_90 [--nvrtc /path/libnvrtc.so.12] [--include DIR ...]

The fatbin in emma4j-native is built by the build machine's nvcc (CUDA 13), whose images a driver of an
older CUDA may refuse (CUDA_ERROR_UNSUPPORTED_PTX_VERSION, ..._NO_BINARY_FOR_GPU, ..._INVALID_IMAGE). NVRTC
comes with PyTorch's wheels (nvidia-cuda-nvrtc), matching the driver PyTorch runs on; its cubin is then
loaded instead of the fatbin through EMMA4J_CUDA_KERNELS. Part of bench/gpu-check.sh; emma4j never runs Python.
"""
import argparse
import ctypes
import glob
import os
import site
import sys


def find_nvrtc():
    dirs = site.getsitepackages() + [site.getusersitepackages()]
    patterns = ["nvidia/cuda_nvrtc/lib/libnvrtc.so.*", "nvidia/cu13/lib/libnvrtc.so.*", "torch/lib/libnvrtc*.so*"]
    for d in dirs:
        for p in patterns:
            for f in sorted(glob.glob(os.path.join(d, p)), reverse=True):
                if "builtins" not in f and ".alt." not in f:
                    return f
    for f in ("/usr/local/cuda/lib64/libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12"):
        try:
            ctypes.CDLL(f)
            return f
        except OSError:
            pass
    raise SystemExit("nvrtc_compile: no libnvrtc found (PyTorch's nvidia-cuda-nvrtc wheel or a CUDA toolkit); pass --nvrtc")


def fp16_header_dirs():
    """cuda_fp16.h for NVRTC versions that do not carry it built in: PyTorch's nvidia-cuda-runtime wheel has it."""
    found = []
    for d in site.getsitepackages() + [site.getusersitepackages()]:
        for p in ("nvidia/cuda_runtime/include", "nvidia/cu13/include", "nvidia/cuda_nvrtc/include"):
            h = os.path.join(d, p)
            if os.path.isfile(os.path.join(h, "cuda_fp16.h")):
                found.append(h)
    if os.path.isfile("/usr/local/cuda/include/cuda_fp16.h"):
        found.append("/usr/local/cuda/include")
    return found


def check(lib, rc, what, prog=None):
    if rc != 0:
        lib.nvrtcGetErrorString.restype = ctypes.c_char_p
        message = lib.nvrtcGetErrorString(rc).decode()
        log = ""
        if prog is not None:
            size = ctypes.c_size_t()
            lib.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
            buf = ctypes.create_string_buffer(size.value)
            lib.nvrtcGetProgramLog(prog, buf)
            log = buf.value.decode(errors="replace")
        raise SystemExit(f"nvrtc_compile: {what} failed: {message}\n{log}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source_dir")
    parser.add_argument("out")
    parser.add_argument("--arch", default="sm_90", help="real architecture, e.g. sm_80 or sm_90 (a cubin is written)")
    parser.add_argument("--nvrtc", default=None)
    parser.add_argument("--include", action="append", default=[])
    args = parser.parse_args()

    path = args.nvrtc or find_nvrtc()
    # libnvrtc opens libnvrtc-builtins by soname; load the one beside it first so that a wheel's copy is found.
    for builtins in sorted(glob.glob(os.path.join(os.path.dirname(path), "libnvrtc-builtins.so.*"))):
        if ".alt." not in builtins:
            ctypes.CDLL(builtins, mode=ctypes.RTLD_GLOBAL)
    lib = ctypes.CDLL(path)
    major, minor = ctypes.c_int(), ctypes.c_int()
    lib.nvrtcVersion(ctypes.byref(major), ctypes.byref(minor))
    main_file = os.path.join(args.source_dir, "emma4j_kernels.cu")
    with open(main_file, "rb") as f:
        source = f.read()
    prog = ctypes.c_void_p()
    check(lib, lib.nvrtcCreateProgram(ctypes.byref(prog), source, b"emma4j_kernels.cu", 0, None, None), "nvrtcCreateProgram")
    options = [f"--gpu-architecture={args.arch}", "-std=c++17", "--include-path=" + os.path.abspath(args.source_dir)]
    options += ["--include-path=" + d for d in args.include + fp16_header_dirs()]
    opts = (ctypes.c_char_p * len(options))(*[o.encode() for o in options])
    check(lib, lib.nvrtcCompileProgram(prog, len(options), opts), "nvrtcCompileProgram " + " ".join(options), prog)
    size = ctypes.c_size_t()
    check(lib, lib.nvrtcGetCUBINSize(prog, ctypes.byref(size)), "nvrtcGetCUBINSize")
    cubin = ctypes.create_string_buffer(size.value)
    check(lib, lib.nvrtcGetCUBIN(prog, cubin), "nvrtcGetCUBIN")
    with open(args.out, "wb") as f:
        f.write(cubin.raw)
    print(f"nvrtc_compile: NVRTC {major.value}.{minor.value} ({path}) compiled {main_file} for {args.arch} into {args.out} "
          f"({size.value} bytes)")


if __name__ == "__main__":
    main()
