/*
 * A fake CUDA driver for emma4j's tests on machines without a GPU: a shared library with the soname
 * libcuda.so.1 that answers the calls the probe and the driver wrapper make. fake_set_mode chooses:
 *   0  cuInit fails with CUDA_ERROR_NO_DEVICE (100)
 *   1  one device, "Fake T4", compute capability 7.5
 *   2  one device, "Fake H200", compute capability 9.0, 141 GiB
 * Built by FakeCudaDriver with: cc -shared -fPIC -Wl,-soname,libcuda.so.1 -o libcuda.so.1 fake_cuda.c
 */
#include <string.h>

static int mode = 0;
static int initialised = 0;

void fake_set_mode(int m) { mode = m; initialised = 0; }

int cuInit(unsigned int flags) {
    if (flags != 0) return 1;
    if (mode == 0) return 100;
    initialised = 1;
    return 0;
}

int cuDriverGetVersion(int *v) { *v = 13000; return 0; }

int cuDeviceGetCount(int *n) {
    if (!initialised) return 3;
    *n = 1;
    return 0;
}

int cuDeviceGet(int *dev, int ordinal) {
    if (!initialised) return 3;
    if (ordinal != 0) return 101;
    *dev = 0;
    return 0;
}

int cuDeviceGetName(char *name, int len, int dev) {
    if (dev != 0) return 101;
    strncpy(name, mode == 1 ? "Fake T4" : "Fake H200", (size_t) len);
    return 0;
}

int cuDeviceGetAttribute(int *v, int attr, int dev) {
    if (dev != 0) return 101;
    switch (attr) {
        case 75: *v = mode == 1 ? 7 : 9; return 0;
        case 76: *v = mode == 1 ? 5 : 0; return 0;
        case 16: *v = mode == 1 ? 40 : 132; return 0;
        default: return 1;
    }
}

int cuDeviceTotalMem_v2(unsigned long long *bytes, int dev) {
    if (dev != 0) return 101;
    *bytes = (mode == 1 ? 16ULL : 141ULL) << 30;
    return 0;
}

int cuGetErrorName(int status, const char **out) {
    switch (status) {
        case 0: *out = "CUDA_SUCCESS"; return 0;
        case 1: *out = "CUDA_ERROR_INVALID_VALUE"; return 0;
        case 3: *out = "CUDA_ERROR_NOT_INITIALIZED"; return 0;
        case 100: *out = "CUDA_ERROR_NO_DEVICE"; return 0;
        case 101: *out = "CUDA_ERROR_INVALID_DEVICE"; return 0;
        default: *out = 0; return 1;
    }
}

int cuGetErrorString(int status, const char **out) {
    switch (status) {
        case 100: *out = "no CUDA-capable device is detected"; return 0;
        default: *out = 0; return 1;
    }
}
