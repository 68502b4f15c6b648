#include "CVectorMath.h"

#include <immintrin.h>
#include <sleef.h>

// sleef.h declares the 8-wide functions only when the whole file is compiled for AVX-512;
// this file is compiled for AVX2, and the AVX-512 loops below are chosen at run time.
__attribute__((target("avx512f"))) __m512d Sleef_expd8_u10avx512f(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_tanhd8_u10avx512f(__m512d);
__attribute__((target("avx512f"))) __m512 Sleef_expf16_u10avx512f(__m512);
__attribute__((target("avx512f"))) __m512 Sleef_tanhf16_u10avx512f(__m512);

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
PC_VECTOR_LOOP(tanh_avx2, double, 4, _mm256_loadu_pd, _mm256_storeu_pd, Sleef_tanhd4_u10avx2, )
PC_VECTOR_LOOP(exp_avx512, double, 8, _mm512_loadu_pd, _mm512_storeu_pd, Sleef_expd8_u10avx512f, AVX512)
PC_VECTOR_LOOP(tanh_avx512, double, 8, _mm512_loadu_pd, _mm512_storeu_pd, Sleef_tanhd8_u10avx512f, AVX512)
PC_VECTOR_LOOP(expf_avx2, float, 8, _mm256_loadu_ps, _mm256_storeu_ps, Sleef_expf8_u10avx2, )
PC_VECTOR_LOOP(tanhf_avx2, float, 8, _mm256_loadu_ps, _mm256_storeu_ps, Sleef_tanhf8_u10avx2, )
PC_VECTOR_LOOP(expf_avx512, float, 16, _mm512_loadu_ps, _mm512_storeu_ps, Sleef_expf16_u10avx512f, AVX512)
PC_VECTOR_LOOP(tanhf_avx512, float, 16, _mm512_loadu_ps, _mm512_storeu_ps, Sleef_tanhf16_u10avx512f, AVX512)

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

int pc_vector_width(void) { return has_avx512() ? 8 : 4; }
