# Benchmarks (docs/bench.md).
#
#   build/bench/jbench   the benchmark program (static, musl)
#   build/bench/init     the /init that runs it under Linux and User-Mode Linux
#   make bench           the full comparison (bench/run.py), minutes long;
#                        writes bench/results/latest.md. Not part of make check,
#                        which only runs "jbench --quick" on both targets.
BENCH_B := $(B)/bench
BENCH_SRCS := bench/jbench.c bench/harness.c bench/probes_proc.c bench/probes_io.c
BENCH_BINS := $(BENCH_B)/jbench $(BENCH_B)/init
BENCH_CFLAGS := -static -O2 -Wall -Wextra -Werror

$(BENCH_B)/jbench: $(BENCH_SRCS) bench/harness.h $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(MUSL_CC) $(BENCH_CFLAGS) -pthread -o $@ $(BENCH_SRCS)

$(BENCH_B)/init: bench/init.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(MUSL_CC) $(BENCH_CFLAGS) -o $@ $<

ALL_TARGETS += $(BENCH_BINS)

.PHONY: bench
bench: all
	python3 bench/run.py --build $(B) $(BENCH_ARGS)
