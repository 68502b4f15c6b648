#include "CVectorMath.h"

#include <immintrin.h>
#include <sleef.h>

// sleef.h declares the 8-wide functions only when the whole file is compiled for AVX-512;
// this file is compiled for AVX2, and the AVX-512 loops below are chosen at run time.
__attribute__((target("avx512f"))) __m512d Sleef_expd8_u10avx512f(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_tanhd8_u35avx512f(__m512d);
__attribute__((target("avx512f"))) __m512 Sleef_expf16_u10avx512f(__m512);
__attribute__((target("avx512f"))) __m512 Sleef_tanhf16_u35avx512f(__m512);

// Every element goes through the same vector routine (the tail is padded with zeros),
// so a value's result never depends on where it sits in the array.
#define PC_VECTOR_LOOP(NAME, TYPE, WIDTH, LOAD, STORE, FN, ATTRIBUTE)          \
    ATTRIBUTE static void NAME(const TYPE *x, TYPE *y, size_t n) {             \
        size_t i = 0;                                                          \
        for (; i + WIDTH <= n; i += WIDTH) STORE(y + i, FN(LOAD(x + i)));      \
        if (i < n) {                                                           \
            TYPE buf[WIDTH] = {0};                                             \
            for (size_t k = 0; i + k < n; k++) buf[k] = x[i + k];              \
            STORE(buf, FN(LOAD(buf)));                                         \
            for (size_t k = 0; i + k < n; k++) y[i + k] = buf[k];              \
        }                                                                      \
    }

#define AVX512 __attribute__((target("avx512f")))
PC_VECTOR_LOOP(exp_avx2, double, 4, _mm256_loadu_pd, _mm256_storeu_pd, Sleef_expd4_u10avx2, )
PC_VECTOR_LOOP(tanh_avx2, double, 4, _mm256_loadu_pd, _mm256_storeu_pd, Sleef_tanhd4_u35avx2, )
PC_VECTOR_LOOP(exp_avx512, double, 8, _mm512_loadu_pd, _mm512_storeu_pd, Sleef_expd8_u10avx512f, AVX512)
PC_VECTOR_LOOP(tanh_avx512, double, 8, _mm512_loadu_pd, _mm512_storeu_pd, Sleef_tanhd8_u35avx512f, AVX512)
PC_VECTOR_LOOP(expf_avx2, float, 8, _mm256_loadu_ps, _mm256_storeu_ps, Sleef_expf8_u10avx2, )
PC_VECTOR_LOOP(tanhf_avx2, float, 8, _mm256_loadu_ps, _mm256_storeu_ps, Sleef_tanhf8_u35avx2, )
PC_VECTOR_LOOP(expf_avx512, float, 16, _mm512_loadu_ps, _mm512_storeu_ps, Sleef_expf16_u10avx512f, AVX512)
PC_VECTOR_LOOP(tanhf_avx512, float, 16, _mm512_loadu_ps, _mm512_storeu_ps, Sleef_tanhf16_u35avx512f, AVX512)

static int has_avx512(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx512f") ? 1 : 0;
    }
    return cached;
}

void pc_vexp(const double *x, double *y, size_t n) {
    if (has_avx512()) exp_avx512(x, y, n); else exp_avx2(x, y, n);
}

void pc_vtanh(const double *x, double *y, size_t n) {
    if (has_avx512()) tanh_avx512(x, y, n); else tanh_avx2(x, y, n);
}

void pc_vexpf(const float *x, float *y, size_t n) {
    if (has_avx512()) expf_avx512(x, y, n); else expf_avx2(x, y, n);
}

void pc_vtanhf(const float *x, float *y, size_t n) {
    if (has_avx512()) tanhf_avx512(x, y, n); else tanhf_avx2(x, y, n);
}

// The bumps of a block of codes: the distances of every row into `out` (the squares summed
// over k in order, d0² + d1² + …, with separate multiplies and adds: no FMA), divided by 2σ²,
// then one exponential pass over the whole block. (Calling the exponential inside the
// distance loop measured slower: the long contiguous pass keeps SLEEF's loop tight.)
#define PC_DISTANCES(NAME, TYPE, WIDTH, VEC, SET1, SUB, MUL, ADD, DIV, ZERO, LOAD, STORE, ATTRIBUTE) \
    ATTRIBUTE static void NAME(const TYPE *m, size_t rows, size_t k, const TYPE *mu_t, size_t h,   \
                               TYPE two_sigma2, TYPE *out) {                                      \
        const VEC scale = SET1(two_sigma2);                                                       \
        for (size_t r = 0; r < rows; r++) {                                                       \
            const TYPE *code = m + r * k;                                                         \
            TYPE *row = out + r * h;                                                              \
            size_t i = 0;                                                                         \
            for (; i + WIDTH <= h; i += WIDTH) {                                                  \
                VEC d = SUB(LOAD(mu_t + i), SET1(code[0]));                                       \
                VEC sum = MUL(d, d);                                                              \
                for (size_t j = 1; j < k; j++) {                                                  \
                    d = SUB(LOAD(mu_t + j * h + i), SET1(code[j]));                               \
                    sum = ADD(sum, MUL(d, d));                                                    \
                }                                                                                 \
                STORE(row + i, DIV(SUB(ZERO(), sum), scale));                                     \
            }                                                                                     \
            for (; i < h; i++) {                                                                  \
                TYPE d = mu_t[i] - code[0];                                                       \
                TYPE sum = d * d;                                                                 \
                for (size_t j = 1; j < k; j++) {                                                  \
                    d = mu_t[j * h + i] - code[j];                                                \
                    sum = sum + d * d;                                                            \
                }                                                                                 \
                row[i] = (0 - sum) / two_sigma2;                                                  \
            }                                                                                     \
        }                                                                                         \
    }

PC_DISTANCES(distances_avx512, double, 8, __m512d, _mm512_set1_pd, _mm512_sub_pd, _mm512_mul_pd, _mm512_add_pd,
             _mm512_div_pd, _mm512_setzero_pd, _mm512_loadu_pd, _mm512_storeu_pd, AVX512)
PC_DISTANCES(distancesf_avx512, float, 16, __m512, _mm512_set1_ps, _mm512_sub_ps, _mm512_mul_ps, _mm512_add_ps,
             _mm512_div_ps, _mm512_setzero_ps, _mm512_loadu_ps, _mm512_storeu_ps, AVX512)
PC_DISTANCES(distances_avx2, double, 4, __m256d, _mm256_set1_pd, _mm256_sub_pd, _mm256_mul_pd, _mm256_add_pd,
             _mm256_div_pd, _mm256_setzero_pd, _mm256_loadu_pd, _mm256_storeu_pd, )
PC_DISTANCES(distancesf_avx2, float, 8, __m256, _mm256_set1_ps, _mm256_sub_ps, _mm256_mul_ps, _mm256_add_ps,
             _mm256_div_ps, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_storeu_ps, )

void pc_bumps(const double *m, size_t rows, size_t k, const double *mu_t, size_t h, double two_sigma2,
              double *out) {
    if (has_avx512()) distances_avx512(m, rows, k, mu_t, h, two_sigma2, out);
    else distances_avx2(m, rows, k, mu_t, h, two_sigma2, out);
    pc_vexp(out, out, rows * h);
}

void pc_bumpsf(const float *m, size_t rows, size_t k, const float *mu_t, size_t h, float two_sigma2,
               float *out) {
    if (has_avx512()) distancesf_avx512(m, rows, k, mu_t, h, two_sigma2, out);
    else distancesf_avx2(m, rows, k, mu_t, h, two_sigma2, out);
    pc_vexpf(out, out, rows * h);
}

int pc_vector_width(void) { return has_avx512() ? 8 : 4; }

// The bumps' share of the backward pass, one row at a time (see pc_bumps_backward in the
// header). `kg` (1 to 4) implicit dimensions at once, each with its own accumulator: their
// sums are independent chains of adds the core overlaps (one dimension after another, each
// chain waited on the last add). `kg` is a constant at every call, so the loops over it
// unroll and the accumulators stay in registers. The negation is a multiply by -1 (exact,
// like Swift's prefix minus, zeros' signs included).
#define PC_BUMPS_BACKWARD(NAME, TYPE, VEC, WIDTH, LANES, LOAD, STORE, SET1, SUB, MUL, ADD, DIV, LANES_ZERO,   \
                          LANES_ADD, LANES_STORE, ATTRIBUTE)                                                \
    ATTRIBUTE static inline __attribute__((always_inline)) void NAME##_group(                               \
        const TYPE *code, size_t kg, const TYPE *mu_t, size_t h, const TYPE *bump, const TYPE *grad_bump,   \
        TYPE two_sigma2, TYPE *grad_mu_t, TYPE *grad_m) {                                                   \
        const VEC scale = SET1(two_sigma2), two = SET1(2), minus = SET1(-1);                                \
        LANES acc[4];                                                                                       \
        VEC mj[4];                                                                                          \
        for (size_t j = 0; j < kg; j++) {                                                                   \
            acc[j] = LANES_ZERO();                                                                          \
            mj[j] = SET1(code[j]);                                                                          \
        }                                                                                                   \
        size_t i = 0;                                                                                       \
        for (; i + WIDTH <= h; i += WIDTH) {                                                                \
            const VEC g = DIV(MUL(MUL(minus, LOAD(grad_bump + i)), LOAD(bump + i)), scale);                 \
            for (size_t j = 0; j < kg; j++) {                                                               \
                const VEC d = MUL(MUL(two, SUB(LOAD(mu_t + j * h + i), mj[j])), g);                         \
                STORE(grad_mu_t + j * h + i, ADD(LOAD(grad_mu_t + j * h + i), d));                          \
                LANES_ADD(acc[j], d);                                                                       \
            }                                                                                               \
        }                                                                                                   \
        TYPE lanes[4][4];                                                                                   \
        for (size_t j = 0; j < kg; j++) LANES_STORE(lanes[j], acc[j]);                                      \
        /* A last group of four, lane by lane as the vector lanes add. */                                  \
        for (; i + 4 <= h; i += 4) {                                                                        \
            for (size_t l = 0; l < 4; l++) {                                                                \
                const TYPE g = (-grad_bump[i + l] * bump[i + l]) / two_sigma2;                              \
                for (size_t j = 0; j < kg; j++) {                                                           \
                    const TYPE d = (2 * (mu_t[j * h + i + l] - code[j])) * g;                               \
                    grad_mu_t[j * h + i + l] += d;                                                          \
                    lanes[j][l] += d;                                                                       \
                }                                                                                           \
            }                                                                                               \
        }                                                                                                   \
        TYPE sum[4];                                                                                        \
        for (size_t j = 0; j < kg; j++) sum[j] = (lanes[j][0] + lanes[j][1]) + (lanes[j][2] + lanes[j][3]); \
        for (; i < h; i++) {                                                                                \
            const TYPE g = (-grad_bump[i] * bump[i]) / two_sigma2;                                          \
            for (size_t j = 0; j < kg; j++) {                                                               \
                const TYPE d = (2 * (mu_t[j * h + i] - code[j])) * g;                                       \
                grad_mu_t[j * h + i] += d;                                                                  \
                sum[j] += d;                                                                                \
            }                                                                                               \
        }                                                                                                   \
        for (size_t j = 0; j < kg; j++) grad_m[j] = (-sum[j] * code[j]) * (1 - code[j]);                    \
    }                                                                                                       \
    ATTRIBUTE static void NAME(const TYPE *m, size_t rows, size_t k, const TYPE *mu_t, size_t h,            \
                               const TYPE *bump, const TYPE *grad_bump, TYPE two_sigma2, TYPE *grad_mu_t,    \
                               TYPE *grad_m) {                                                              \
        for (size_t r = 0; r < rows; r++) {                                                                 \
            for (size_t j0 = 0; j0 < k; j0 += 4) {                                                          \
                const TYPE *code = m + r * k + j0;                                                          \
                const TYPE *mu = mu_t + j0 * h, *b = bump + r * h, *gb = grad_bump + r * h;                 \
                TYPE *gmu = grad_mu_t + j0 * h, *gm = grad_m + r * k + j0;                                  \
                switch (k - j0 < 4 ? k - j0 : 4) {                                                          \
                case 1: NAME##_group(code, 1, mu, h, b, gb, two_sigma2, gmu, gm); break;                    \
                case 2: NAME##_group(code, 2, mu, h, b, gb, two_sigma2, gmu, gm); break;                    \
                case 3: NAME##_group(code, 3, mu, h, b, gb, two_sigma2, gmu, gm); break;                    \
                default: NAME##_group(code, 4, mu, h, b, gb, two_sigma2, gmu, gm); break;                   \
                }                                                                                           \
            }                                                                                               \
        }                                                                                                   \
    }

// Four-lane accumulators (Swift's SIMD4 sums, which these equal bit for bit) fed from each vector.
#define PC_ADD_D8(acc, d) \
    (acc = _mm256_add_pd(_mm256_add_pd(acc, _mm512_castpd512_pd256(d)), _mm512_extractf64x4_pd(d, 1)))
#define PC_ADD_D4(acc, d) (acc = _mm256_add_pd(acc, d))
#define PC_ADD_F8(acc, d) (acc = _mm_add_ps(_mm_add_ps(acc, _mm256_castps256_ps128(d)), _mm256_extractf128_ps(d, 1)))
#define PC_ADD_F16(acc, d)                                                                                   \
    (acc = _mm_add_ps(_mm_add_ps(_mm_add_ps(_mm_add_ps(acc, _mm512_extractf32x4_ps(d, 0)),                 \
                                            _mm512_extractf32x4_ps(d, 1)), _mm512_extractf32x4_ps(d, 2)), \
                      _mm512_extractf32x4_ps(d, 3)))

PC_BUMPS_BACKWARD(bumps_backward_avx512, double, __m512d, 8, __m256d, _mm512_loadu_pd, _mm512_storeu_pd,
                  _mm512_set1_pd, _mm512_sub_pd, _mm512_mul_pd, _mm512_add_pd, _mm512_div_pd, _mm256_setzero_pd,
                  PC_ADD_D8, _mm256_storeu_pd, AVX512)
PC_BUMPS_BACKWARD(bumps_backward_avx2, double, __m256d, 4, __m256d, _mm256_loadu_pd, _mm256_storeu_pd,
                  _mm256_set1_pd, _mm256_sub_pd, _mm256_mul_pd, _mm256_add_pd, _mm256_div_pd, _mm256_setzero_pd,
                  PC_ADD_D4, _mm256_storeu_pd, )
PC_BUMPS_BACKWARD(bumps_backwardf_avx512, float, __m512, 16, __m128, _mm512_loadu_ps, _mm512_storeu_ps,
                  _mm512_set1_ps, _mm512_sub_ps, _mm512_mul_ps, _mm512_add_ps, _mm512_div_ps, _mm_setzero_ps,
                  PC_ADD_F16, _mm_storeu_ps, AVX512)
PC_BUMPS_BACKWARD(bumps_backwardf_avx2, float, __m256, 8, __m128, _mm256_loadu_ps, _mm256_storeu_ps,
                  _mm256_set1_ps, _mm256_sub_ps, _mm256_mul_ps, _mm256_add_ps, _mm256_div_ps, _mm_setzero_ps,
                  PC_ADD_F8, _mm_storeu_ps, )

void pc_bumps_backward(const double *m, size_t rows, size_t k, const double *mu_t, size_t h, const double *bump,
                       const double *grad_bump, double two_sigma2, double *grad_mu_t, double *grad_m) {
    if (has_avx512()) bumps_backward_avx512(m, rows, k, mu_t, h, bump, grad_bump, two_sigma2, grad_mu_t, grad_m);
    else bumps_backward_avx2(m, rows, k, mu_t, h, bump, grad_bump, two_sigma2, grad_mu_t, grad_m);
}

void pc_bumps_backwardf(const float *m, size_t rows, size_t k, const float *mu_t, size_t h, const float *bump,
                        const float *grad_bump, float two_sigma2, float *grad_mu_t, float *grad_m) {
    if (has_avx512()) bumps_backwardf_avx512(m, rows, k, mu_t, h, bump, grad_bump, two_sigma2, grad_mu_t, grad_m);
    else bumps_backwardf_avx2(m, rows, k, mu_t, h, bump, grad_bump, two_sigma2, grad_mu_t, grad_m);
}
