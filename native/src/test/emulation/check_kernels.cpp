// Checks every kernel of native/src/main/cuda against a float64 reference, on the host emulation of
// include/cuda_fp16.h. Run by KernelEmulationTest: check_kernels SEED quick|full (exit status 0 = all passed).
// Tolerances: f32 results 1e-5 relative (+1e-5 absolute for attention, 1e-6..1e-7 elsewhere), gradients
// through long sums 1e-4 relative; casts and copies bit-exact.
#include "emulation_globals.h"
#include "../../main/cuda/emma4j_kernels.cu"
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>
using std::vector;
static std::mt19937_64 rng;
static float gauss() { static std::normal_distribution<float> d(0, 1); return d(rng); }
static int fails = 0;
static void check(const char* what, const vector<double>& want, const vector<float>& got, double rtol, double atol) {
    double worst = 0; size_t wi = 0;
    for (size_t i = 0; i < want.size(); i++) {
        double err = std::fabs(got[i] - want[i]);
        double allowed = atol + rtol * std::fabs(want[i]);
        if (!(err <= allowed)) { double ex = std::isnan(err) ? 1e300 : err / allowed; if (ex > worst) { worst = ex; wi = i; } }
    }
    if (worst > 0) { fails++; printf("FAIL %s: element %zu is %.9g, expected %.9g\n", what, wi, got[wi], want[wi]); }
    else printf("ok %s\n", what);
}
static const unsigned long long NOBAD = ~0ull;

static unsigned short bf16_ref(float f) { // Bf16.fromFloat
    unsigned u = __float_as_uint(f);
    if ((u & 0x7fffffff) > 0x7f800000) return (u >> 16) | 0x40;
    return (u + 0x7fff + ((u >> 16) & 1)) >> 16;
}

static void check_other_kernels() {
    // cross entropy, in place, with an ignored row and a label of probability near 1
    for (int vocab : {1, 10, 130, 3000}) {
        int rows = 5;
        vector<float> x(rows * vocab); for (auto& e : x) e = gauss() * 3;
        vector<int> labels = {0, -100, vocab - 1, vocab / 2, 0};
        x[4 * vocab + 0] = 40;   // p(label) ~ 1
        vector<double> loss(rows), grad(x.size());
        for (int r = 0; r < rows; r++) {
            if (labels[r] == -100) continue;
            double m = -1e300; for (int c = 0; c < vocab; c++) m = std::max(m, (double) x[r * vocab + c]);
            double s = 0; for (int c = 0; c < vocab; c++) s += std::exp(x[r * vocab + c] - m);
            loss[r] = m + std::log(s) - x[r * vocab + labels[r]];
            for (int c = 0; c < vocab; c++) grad[r * vocab + c] = 0.5 * (std::exp(x[r * vocab + c] - m) / s - (c == labels[r]));
        }
        vector<float> losses(rows, NAN); unsigned long long flag = NOBAD;
        vector<float> xs = x;
        launch(emma4j_cross_entropy, rows, 1, 512, losses.data(), (void*) xs.data(), 0, (const void*) xs.data(), 0, (const int*) labels.data(),
               rows, vocab, 0.5f, -100, (const unsigned long long*) &flag);
        char w[100]; snprintf(w, 100, "cross entropy losses V=%d", vocab); check(w, loss, losses, 1e-5, 1e-5);
        snprintf(w, 100, "cross entropy dlogits in place V=%d", vocab); check(w, grad, xs, 1e-5, 1e-7);
    }
    // rmsnorm forward + backward, bf16 x
    for (int cols : {1, 7, 130, 1000}) {
        int rows = 9; float eps = 1e-5f;
        vector<float> x(rows * cols), w(cols), dy(rows * cols), dx0(rows * cols), dw0(cols);
        for (auto& e : x) e = gauss();
        for (auto& e : w) e = 1 + 0.1f * gauss();
        for (auto& e : dy) e = gauss();
        for (auto& e : dx0) e = gauss();
        for (auto& e : dw0) e = gauss();
        vector<double> y(x.size()), rs(rows), dx(x.size()), dw(cols);
        for (int c = 0; c < cols; c++) dw[c] = dw0[c];
        for (int r = 0; r < rows; r++) {
            double ss = 0; for (int c = 0; c < cols; c++) ss += (double) x[r * cols + c] * x[r * cols + c];
            double rstd = 1 / std::sqrt(ss / cols + eps); rs[r] = rstd;
            double dot = 0; for (int c = 0; c < cols; c++) dot += (double) x[r * cols + c] * w[c] * dy[r * cols + c];
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = x[r * cols + c] * rstd * w[c];
                dx[r * cols + c] = dx0[r * cols + c] + rstd * w[c] * dy[r * cols + c] - x[r * cols + c] * rstd * rstd * rstd * dot / cols;
                dw[c] += dy[r * cols + c] * x[r * cols + c] * rstd;
            }
        }
        vector<float> yo(x.size(), NAN), ro(rows, NAN), dxo = dx0, dwo = dw0, partial(4 * cols, NAN);
        launch(emma4j_rmsnorm_forward, 4, 1, 256, (void*) yo.data(), 0, ro.data(), (const void*) x.data(), 0, (const void*) w.data(), 0, rows, cols, eps);
        char n[100]; snprintf(n, 100, "rmsnorm y C=%d", cols); check(n, y, yo, 1e-5, 1e-6);
        snprintf(n, 100, "rmsnorm rstd C=%d", cols); check(n, rs, ro, 1e-5, 1e-6);
        launch(emma4j_rmsnorm_backward, 4, 1, 256, (void*) dxo.data(), 0, partial.data(), (const void*) dy.data(), 0, (const void*) x.data(), 0,
               (const void*) w.data(), 0, (const float*) ro.data(), rows, cols);
        launch(emma4j_rmsnorm_dweight, 2, 1, 256, (void*) dwo.data(), 0, (const float*) partial.data(), 4, cols);
        snprintf(n, 100, "rmsnorm dx C=%d", cols); check(n, dx, dxo, 1e-4, 1e-5);
        snprintf(n, 100, "rmsnorm dweight C=%d", cols); check(n, dw, dwo, 1e-4, 1e-5);
    }
    // rope forward then backward restores x; forward vs reference
    {
        int B = 2, T = 5, H = 3, half = 4, maxPos = 20, pos0 = 7;
        vector<float> table(2 * maxPos * half);
        for (int p = 0; p < maxPos; p++) for (int i = 0; i < half; i++) { float a = p * std::pow(10000.0f, -(float) i / half); table[p * half + i] = std::cos(a); table[maxPos * half + p * half + i] = std::sin(a); }
        vector<float> x(B * T * H * 2 * half); for (auto& e : x) e = gauss();
        vector<double> want(x.size());
        for (int r = 0; r < B * T; r++) for (int h = 0; h < H; h++) for (int i = 0; i < half; i++) {
            int pos = pos0 + r % T; size_t lo = ((size_t) r * H + h) * 2 * half + i, hi = lo + half;
            double c = table[pos * half + i], s = table[maxPos * half + pos * half + i];
            want[lo] = x[lo] * c - x[hi] * s; want[hi] = x[hi] * c + x[lo] * s;
        }
        vector<float> xo = x;
        launch(emma4j_rope, 2, 1, 256, (void*) xo.data(), 0, (const float*) table.data(), (long long) B * T, T, H, half, maxPos, pos0, 1.0f);
        check("rope forward", want, xo, 1e-6, 1e-6);
        launch(emma4j_rope, 2, 1, 256, (void*) xo.data(), 0, (const float*) table.data(), (long long) B * T, T, H, half, maxPos, pos0, -1.0f);
        vector<double> orig(x.begin(), x.end()); check("rope backward undoes forward", orig, xo, 1e-5, 1e-6);
    }
    // embedding with index check: bad ids block both kernels
    {
        int V = 11, C = 4, N = 5;
        vector<float> table(V * C); for (auto& e : table) e = gauss();
        vector<int> ids = {0, 3, 10, 3, 2};
        unsigned long long flag = NOBAD;
        launch(emma4j_check_indices, 1, 1, 256, (const int*) ids.data(), (long long) N, V, 0, 0, &flag);
        if (flag != NOBAD) { fails++; printf("FAIL good ids flagged\n"); }
        vector<float> out(N * C, NAN), dout(N * C); for (auto& e : dout) e = gauss();
        launch(emma4j_embedding_forward, 1, 1, 256, (void*) out.data(), 0, (const int*) ids.data(), (const void*) table.data(), 0, (long long) N, C, (const unsigned long long*) &flag);
        vector<double> want(N * C); for (int n = 0; n < N; n++) for (int c = 0; c < C; c++) want[n * C + c] = table[ids[n] * C + c];
        check("embedding forward", want, out, 0, 0);
        vector<float> dt = table; vector<double> dwant(table.begin(), table.end());
        for (int n = 0; n < N; n++) for (int c = 0; c < C; c++) dwant[ids[n] * C + c] += dout[n * C + c];
        launch(emma4j_embedding_backward, 1, 1, 256, dt.data(), (const void*) dout.data(), 0, (const int*) ids.data(), (long long) N, C, (const unsigned long long*) &flag);
        check("embedding backward", dwant, dt, 1e-6, 1e-6);
        vector<int> bad = {0, 3, 10, 11, -1};
        flag = NOBAD;
        launch(emma4j_check_indices, 1, 1, 256, (const int*) bad.data(), (long long) N, V, 0, 0, &flag);
        if ((flag >> 32) != 3 || (int) (unsigned) flag != 11) { fails++; printf("FAIL bad id flag %llx\n", flag); } else printf("ok index check position 3 value 11\n");
        vector<float> dt2 = table;
        launch(emma4j_embedding_backward, 1, 1, 256, dt2.data(), (const void*) dout.data(), 0, (const int*) bad.data(), (long long) N, C, (const unsigned long long*) &flag);
        check("rejected backward writes nothing", vector<double>(table.begin(), table.end()), dt2, 0, 0);
        vector<int> labels = {1, -100, 12345, -100};
        flag = NOBAD;
        launch(emma4j_check_indices, 1, 1, 256, (const int*) labels.data(), 4LL, 10, -100, 1, &flag);
        if ((flag >> 32) != 2 || (int) (unsigned) flag != 12345) { fails++; printf("FAIL label flag %llx\n", flag); } else printf("ok label check\n");
    }
    // casts: f32 -> bf16 bit exact (Bf16.fromFloat), specials included
    {
        vector<unsigned> bits = {0, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001, 0x7FFFFFFF, 0x7F7FFFFF, 0x7F7F8000, 0x3F808000, 0x3F818000, 0x00008000, 0x00018000};
        for (int i = 0; i < 5000; i++) bits.push_back((unsigned) rng());
        vector<float> f(bits.size()); for (size_t i = 0; i < bits.size(); i++) f[i] = __uint_as_float(bits[i]);
        vector<unsigned short> out(bits.size());
        launch(emma4j_cast, 4, 1, 256, (void*) out.data(), 1, (const void*) f.data(), 0, (long long) bits.size());
        int bad = 0; for (size_t i = 0; i < bits.size(); i++) if (out[i] != bf16_ref(f[i])) bad++;
        if (bad) { fails++; printf("FAIL cast f32->bf16: %d mismatches\n", bad); } else printf("ok cast f32->bf16 bit exact\n");
    }
    // sum of squares, two passes, bf16 input
    {
        long long n = 200001; long long chunk = 1 << 16;
        vector<unsigned short> x(n); vector<double> dummy; double want = 0;
        for (auto& e : x) { e = bf16_ref(gauss()); double v = __uint_as_float((unsigned) e << 16); want += v * v; }
        int blocks = (int) ((n + chunk - 1) / chunk);
        vector<double> partial(blocks + 1);
        launch(emma4j_sum_squares_partial, blocks, 1, 256, (const void*) x.data(), 1, n, chunk, partial.data());
        launch(emma4j_sum_partials, 1, 1, 1024, (const double*) partial.data(), blocks, partial.data() + blocks);
        check("sum of squares", {want}, {(float) partial[blocks]}, 1e-7, 0);
    }
    // swiglu backward accumulates; adamw one step
    {
        int n = 1000; vector<float> g(n), u(n), dh(n), dg(n, 0.25f), du(n, -0.5f);
        for (int i = 0; i < n; i++) { g[i] = gauss() * 5; u[i] = gauss(); dh[i] = gauss(); }
        g[0] = -200; g[1] = 200;
        vector<double> wg(n), wu(n);
        for (int i = 0; i < n; i++) { double s = 1 / (1 + std::exp(-(double) g[i])); wg[i] = 0.25 + dh[i] * u[i] * s * (1 + g[i] * (1 - s)); wu[i] = -0.5 + dh[i] * g[i] * s; }
        launch(emma4j_swiglu_backward, 2, 1, 256, (void*) dg.data(), 0, (void*) du.data(), 0, (const void*) dh.data(), 0, (const void*) g.data(), 0, (const void*) u.data(), 0, (long long) n);
        check("swiglu dgate", wg, dg, 1e-5, 1e-6); check("swiglu dup", wu, du, 1e-5, 1e-6);
        vector<float> p(n), gr(n), m(n), v(n); for (int i = 0; i < n; i++) { p[i] = gauss(); gr[i] = gauss(); m[i] = 0.1f * gauss(); v[i] = 0.01f * std::fabs(gauss()); }
        double lr = 1e-3, b1 = 0.9, b2 = 0.95, eps = 1e-8, wd = 0.1; int t = 3; double gs = 0.5;
        vector<double> wp(n);
        for (int i = 0; i < n; i++) { double gg = gr[i] * gs, mm = b1 * m[i] + (1 - b1) * gg, vv = b2 * v[i] + (1 - b2) * gg * gg;
            wp[i] = p[i] * (1 - lr * wd) - lr * (mm / (1 - std::pow(b1, t))) / (std::sqrt(vv / (1 - std::pow(b2, t))) + eps); }
        vector<unsigned short> copy(n);
        launch(emma4j_adamw, 2, 1, 256, p.data(), (const void*) gr.data(), 0, m.data(), v.data(), (void*) copy.data(), 1, (long long) n,
               (float) gs, (float) b1, (float) b2, (float) (1 - b1), (float) (1 - b2), (float) (1 - lr * wd), (float) (lr / (1 - std::pow(b1, t))),
               (float) (1 / std::sqrt(1 - std::pow(b2, t))), (float) eps);
        check("adamw param", wp, p, 1e-5, 1e-7);
        int bad = 0; for (int i = 0; i < n; i++) if (copy[i] != bf16_ref(p[i])) bad++;
        if (bad) { fails++; printf("FAIL adamw bf16 copy\n"); } else printf("ok adamw bf16 copy\n");
    }
}

struct Dims { int B, Tq, Tk, Hq, Hkv, D, q0; };
static size_t qi(const Dims& d, int b, int t, int h, int x) { return (((size_t) b * d.Tq + t) * d.Hq + h) * d.D + x; }
static size_t ki(const Dims& d, int b, int j, int h, int x) { return (((size_t) b * d.Tk + j) * d.Hkv + h) * d.D + x; }

static void check_attention(Dims d) {
    int g = d.Hq / d.Hkv;
    float scale = 1.0f / std::sqrt((float) d.D);
    vector<float> q(d.B * d.Tq * d.Hq * d.D), k(d.B * d.Tk * d.Hkv * d.D), v(k.size()), dout(q.size());
    for (auto& x : q) x = gauss();
    for (auto& x : k) x = gauss();
    for (auto& x : v) x = gauss();
    for (auto& x : dout) x = gauss();
    int keyEnd = d.q0 + d.Tq;
    for (int b = 0; b < d.B; b++) for (int j = keyEnd; j < d.Tk; j++) for (int h = 0; h < d.Hkv; h++) for (int x = 0; x < d.D; x++)
        k[ki(d, b, j, h, x)] = v[ki(d, b, j, h, x)] = NAN;
    // reference
    vector<double> out(q.size()), lse(d.B * d.Hq * d.Tq), dq(q.size()), dk(k.size()), dv(k.size());
    for (int b = 0; b < d.B; b++) for (int h = 0; h < d.Hq; h++) for (int t = 0; t < d.Tq; t++) {
        int kh = h / g, last = d.q0 + t;
        vector<double> s(last + 1), p(last + 1);
        double m = -1e300;
        for (int j = 0; j <= last; j++) { double dot = 0; for (int x = 0; x < d.D; x++) dot += (double) q[qi(d,b,t,h,x)] * k[ki(d,b,j,kh,x)]; s[j] = dot * scale; m = std::max(m, s[j]); }
        double sum = 0; for (int j = 0; j <= last; j++) { p[j] = std::exp(s[j] - m); sum += p[j]; }
        for (int j = 0; j <= last; j++) p[j] /= sum;
        lse[((size_t) b * d.Hq + h) * d.Tq + t] = m + std::log(sum);
        for (int x = 0; x < d.D; x++) { double o = 0; for (int j = 0; j <= last; j++) o += p[j] * v[ki(d,b,j,kh,x)]; out[qi(d,b,t,h,x)] = o; }
        // backward
        vector<double> dp(last + 1); double delta = 0;
        for (int x = 0; x < d.D; x++) delta += (double) dout[qi(d,b,t,h,x)] * out[qi(d,b,t,h,x)];
        for (int j = 0; j <= last; j++) { double a = 0; for (int x = 0; x < d.D; x++) a += (double) dout[qi(d,b,t,h,x)] * v[ki(d,b,j,kh,x)]; dp[j] = a; }
        for (int j = 0; j <= last; j++) {
            double ds = p[j] * (dp[j] - delta);
            for (int x = 0; x < d.D; x++) {
                dv[ki(d,b,j,kh,x)] += p[j] * dout[qi(d,b,t,h,x)];
                dk[ki(d,b,j,kh,x)] += ds * scale * q[qi(d,b,t,h,x)];
                dq[qi(d,b,t,h,x)] += ds * scale * k[ki(d,b,j,kh,x)];
            }
        }
    }
    // kernel forward
    vector<float> o(q.size(), NAN), l(lse.size(), NAN);
    int rows = d.Tq * g;
    launch(emma4j_attention_forward, (rows + 15) / 16, d.B * d.Hkv, 128, (void*) o.data(), 0, l.data(), (const void*) q.data(), 0,
           (const void*) k.data(), 0, (const void*) v.data(), 0, d.Tq, d.Tk, d.Hq, d.Hkv, d.D, d.q0, scale);
    char what[200];
    snprintf(what, 200, "fwd out B%d Tq%d Tk%d Hq%d Hkv%d D%d q0=%d", d.B, d.Tq, d.Tk, d.Hq, d.Hkv, d.D, d.q0);
    check(what, out, o, 1e-5, 1e-5);   // f32 dot products of <= 256 terms and softmax sums of <= 150
    snprintf(what, 200, "fwd lse B%d Tq%d Tk%d Hq%d Hkv%d D%d q0=%d", d.B, d.Tq, d.Tk, d.Hq, d.Hkv, d.D, d.q0);
    check(what, lse, l, 1e-5, 1e-5);
    // kernel backward (gradients start at 0.5 to check accumulation)
    vector<float> gq(q.size(), 0.5f), gk(k.size(), 0.5f), gv(k.size(), 0.5f), dqacc(q.size(), 0.0f), delta(d.B * d.Tq * d.Hq);
    long long qrows = (long long) d.B * d.Tq * d.Hq;
    launch(emma4j_attention_backward_delta, (unsigned) ((qrows * 32 + 127) / 128), 1, 128, delta.data(), (const void*) dout.data(), 0,
           (const void*) o.data(), 0, qrows, d.D);
    launch(emma4j_attention_backward, (keyEnd + 31) / 32, d.B * d.Hkv, 128, dqacc.data(), (void*) gk.data(), 0, (void*) gv.data(), 0,
           (const void*) dout.data(), 0, (const float*) l.data(), (const float*) delta.data(), (const void*) q.data(), 0,
           (const void*) k.data(), 0, (const void*) v.data(), 0, d.Tq, d.Tk, d.Hq, d.Hkv, d.D, d.q0, scale);
    launch(emma4j_accumulate, 4, 1, 256, (void*) gq.data(), 0, (const float*) dqacc.data(), (long long) q.size());
    for (auto& x : dq) x += 0.5;
    for (auto& x : dk) x += 0.5;
    for (auto& x : dv) x += 0.5;
    snprintf(what, 200, "bwd dq D%d Tq%d", d.D, d.Tq); check(what, dq, gq, 1e-4, 1e-5);
    snprintf(what, 200, "bwd dk D%d Tq%d", d.D, d.Tq); check(what, dk, gk, 1e-4, 1e-5);
    snprintf(what, 200, "bwd dv D%d Tq%d", d.D, d.Tq); check(what, dv, gv, 1e-4, 1e-5);
}

int main(int argc, char** argv) {
    unsigned long long seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1;
    bool full = argc > 2 && std::string(argv[2]) == "full";
    rng.seed(seed);
    check_other_kernels();
    // Causal grouped-query attention: awkward head dims and lengths, KV caches whose unused rows hold NaN.
    vector<Dims> shapes = {{1, 7, 7, 3, 1, 33, 0}, {2, 33, 33, 4, 2, 64, 0}, {1, 1, 1, 1, 1, 1, 0}, {2, 5, 50, 3, 1, 7, 20},
                           {1, 1, 40, 4, 2, 33, 17}, {1, 3, 9, 2, 1, 256, 4}, {1, 1, 9, 2, 2, 130, 0}};
    if (full) {
        int heads[][2] = {{3, 1}, {4, 2}, {1, 1}};
        for (auto& h : heads) for (int t : {1, 7, 33, 70}) for (int D : {1, 7, 33, 64, 130}) shapes.push_back({(t + D) % 2 ? 1 : 2, t, t, h[0], h[1], D, 0});
        shapes.push_back({1, 5, 150, 8, 2, 64, 100});
    }
    for (const Dims& d : shapes) check_attention(d);
    if (fails) printf("FAILED: %d checks, seed %llu\n", fails, seed);
    else printf("all kernel checks passed, seed %llu\n", seed);
    return fails != 0;
}
