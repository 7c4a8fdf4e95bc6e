/*
 * Lets libtorch's bundled oneMKL take its AVX-512 code path on AMD processors that have AVX-512
 * (docs/BENCHMARKS.md, "Where a step's time goes, and the cuts").
 *
 * oneMKL asks mkl_serv_intel_cpu_true() whether it runs on an Intel processor and, when not, uses
 * its generic code path whatever the processor supports: on the project's AMD EPYC (Zen 5, AVX-512)
 * a 512x512x512 float32 product through libtorch 2.7.1 runs at about 90 GFLOP/s on one thread instead
 * of about 220. libtorch_cpu.so calls that function through its PLT, so a library loaded first with
 * LD_PRELOAD that defines it decides. The ./eagle launcher builds this file with cc and preloads it
 * on AMD processors with AVX-512 unless EAGLE_MKL_GENERIC=1.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
