#ifndef POPCODE_CVECTORMATH_H
#define POPCODE_CVECTORMATH_H

#include <stddef.h>

/// y[i] = exp(x[i]) for i < n, with SLEEF's 1.0-ulp vector exponential: 8-wide AVX-512
/// where the CPU has it, else 4-wide AVX2. Every element goes through the same routine
/// (the tail is padded), so a value's result never depends on its position.
/// x and y may be the same buffer.
void pc_vexp(const double *x, double *y, size_t n);

/// y[i] = tanh(x[i]) for i < n, with SLEEF's 1.0-ulp vector tanh (AVX-512 or AVX2).
void pc_vtanh(const double *x, double *y, size_t n);

/// The single-precision forms: y[i] = expf(x[i]) and tanhf(x[i]) with SLEEF's 1.0-ulp
/// float kernels (16-wide AVX-512 or 8-wide AVX2), position-independent as above.
void pc_vexpf(const float *x, float *y, size_t n);
void pc_vtanhf(const float *x, float *y, size_t n);

/// The vector width in doubles chosen on this CPU: 8 (AVX-512) or 4 (AVX2).
int pc_vector_width(void);

#endif
