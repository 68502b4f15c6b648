#ifndef POPCODE_CVECTORMATH_H
#define POPCODE_CVECTORMATH_H

#include <stddef.h>

/// y[i] = exp(x[i]) for i < n, with SLEEF's 1.0-ulp vector exponential: 8-wide AVX-512
/// where the CPU has it, else 4-wide AVX2. Every element goes through the same routine
/// (the tail is padded), so a value's result never depends on its position.
/// x and y may be the same buffer.
void pc_vexp(const double *x, double *y, size_t n);

/// y[i] = tanh(x[i]) for i < n, with SLEEF's 3.5-ulp vector tanh (AVX-512 or AVX2): half the
/// cost of its 1.0-ulp form (tanh was 6 % of a reference run), and the encoder's tanh feeds
/// nothing where 2 ulp more would show (parity with numpy is unchanged: README, Results).
void pc_vtanh(const double *x, double *y, size_t n);

/// The single-precision forms: y[i] = expf(x[i]) and tanhf(x[i]) with SLEEF's float kernels
/// (1.0 and 3.5 ulp, as above; 16-wide AVX-512 or 8-wide AVX2), position-independent as above.
void pc_vexpf(const float *x, float *y, size_t n);
void pc_vtanhf(const float *x, float *y, size_t n);

/// out[r*h + i] = exp(-(sum over j < k of (mu_t[j*h + i] - m[r*k + j])^2) / two_sigma2) for
/// r < rows, i < h: the Gaussian bumps of `rows` codes (m, rows x k) around h centres given
/// transposed (mu_t, k x h): the distances (vectorised over i, 8 or 16 lanes on AVX-512), then
/// pc_vexp over the block. The squares are summed over j in order with no fused
/// multiply-add and the exponential is pc_vexp's, so each value equals the separate passes'
/// (distances into a buffer, then pc_vexp over it) bit for bit, wherever it sits.
void pc_bumps(const double *m, size_t rows, size_t k, const double *mu_t, size_t h, double two_sigma2,
              double *out);
/// The single-precision form of pc_bumps (pc_vexpf's exponential).
void pc_bumpsf(const float *m, size_t rows, size_t k, const float *mu_t, size_t h, float two_sigma2,
               float *out);

/// The bumps' share of the backward pass, for rows r < rows (m, rows x k; mu_t, k x h; bump and
/// grad_bump, rows x h, the forward pass's bumps and the loss's gradient with respect to them):
///     g[r, i]        = -grad_bump[r, i] * bump[r, i] / two_sigma2
///     d[r, j, i]     = 2 * (mu_t[j, i] - m[r, j]) * g[r, i]
///     grad_mu_t[j, i] += d[r, j, i]                       (row after row)
///     grad_m[r, j]   = -(sum over i of d[r, j, i]) * m[r, j] * (1 - m[r, j])
/// with the sum over i in four lanes (i mod 4, in order) added as (l0 + l1) + (l2 + l3) and then
/// the last h mod 4 terms in order: the arithmetic, bit for bit, of the Swift SIMD4 loop it
/// replaced, whatever the vector width (8 or 4 doubles). No fused multiply-add.
void pc_bumps_backward(const double *m, size_t rows, size_t k, const double *mu_t, size_t h, const double *bump,
                       const double *grad_bump, double two_sigma2, double *grad_mu_t, double *grad_m);
/// The single-precision form of pc_bumps_backward (the same four-lane sums).
void pc_bumps_backwardf(const float *m, size_t rows, size_t k, const float *mu_t, size_t h, const float *bump,
                        const float *grad_bump, float two_sigma2, float *grad_mu_t, float *grad_m);

/// The vector width in doubles chosen on this CPU: 8 (AVX-512) or 4 (AVX2).
int pc_vector_width(void);

#endif
