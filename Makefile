# Jinux top-level build. See README.md and docs/building.md.
#
#   make            build both targets, the initramfs and the launcher
#   make run        boot Jinux (TARGET=host or x86_64) into its default program
#   make check      lint, build, ktests and conformance tests on both targets
#
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

TARGET ?= host
B := build
CC := gcc
MUSL_CC := musl-gcc

WARN := -std=gnu11 -Wall -Wextra -Werror
GCC_INC := $(shell $(CC) -print-file-name=include)
# Components and core/common see only the compiler's headers, the core API
# and their own headers, on both targets.
FREESTANDING := -ffreestanding -nostdinc -isystem $(GCC_INC) -Icore/include -Ikernel/include

KERNEL_SRCS := $(sort $(shell find kernel -name '*.c'))
COMMON_SRCS := $(sort $(wildcard core/common/*.c core/common/*.S))
# Freestanding libc pieces the host target takes from its C library instead.
LIBK_SRCS := $(sort $(wildcard core/common/libk/*.c))

DEPS_STAMP := $(B)/.deps-ok
$(DEPS_STAMP): tools/deps.sh
	@mkdir -p $(B)
	@sh tools/deps.sh
	@touch $@

include core/arch/host/build.mk
include core/arch/x86_64/build.mk
include user/build.mk
include test/build.mk
include tools/build.mk
include bench/build.mk

.PHONY: all run check lint ktest clean deps
all: $(ALL_TARGETS)

deps: $(DEPS_STAMP)

run: all
	$(B)/jinux --target $(TARGET)

check: $(DEPS_STAMP)
	@sh tools/check.sh

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
