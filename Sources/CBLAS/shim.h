#include <cblas.h>

// OpenBLAS exports LAPACK's Fortran entry points; Debian ships no lapacke.h for it,
// so the two routines popcode uses are declared here (all arguments by pointer).
void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda,
             double *b, const int *ldb, double *s, const double *rcond, int *rank,
             double *work, const int *lwork, int *iwork, int *info);
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda,
             double *s, double *u, const int *ldu, double *vt, const int *ldvt,
             double *work, const int *lwork, int *iwork, int *info);

// The pthread build of OpenBLAS starts its worker threads when it loads, and each spins
// (sched_yield) for about 2^28 cycles waiting for work before it sleeps: ≈ 90 ms of CPU per
// process on another core, though popcode never gives them any. `blas_thread_shutdown_`
// (exported by the pthread build, absent from the serial one: hence weak) stops them.
int blas_thread_shutdown_(void) __attribute__((weak));

static inline void pc_openblas_stop_workers(void) {
    if (blas_thread_shutdown_) blas_thread_shutdown_();
}
