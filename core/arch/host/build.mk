# Host target: Jinux as a Linux process (build/host/jinux) running guests
# in traced child processes that execute build/host/jinux-stub.
#
# SANITIZE=1 builds into build/host-san with AddressSanitizer + UBSan.

ifeq ($(SANITIZE),1)
HOST_B := $(B)/host-san
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
HOST_B := $(B)/host
HOST_SAN :=
endif

HOST_OPT := -O2 -g -fno-omit-frame-pointer -MMD -MP $(HOST_SAN)
HOST_ARCH_SRCS := $(sort $(wildcard core/arch/host/*.c core/arch/host/*.S))
HOST_STUB_SRCS := $(sort $(wildcard core/arch/host/stub/*.c core/arch/host/stub/*.S))

# Components and core/common: freestanding, same flags as on x86_64 but
# hosted code generation.
HOST_FREE_CFLAGS := $(WARN) $(HOST_OPT) $(FREESTANDING)
# The host target's own code may use the host C library.
HOST_ARCH_CFLAGS := $(WARN) $(HOST_OPT) -D_GNU_SOURCE -Icore/include -Icore/common

HOST_OBJS := $(patsubst %,$(HOST_B)/obj/%.o,$(KERNEL_SRCS) $(COMMON_SRCS)) \
	     $(patsubst %,$(HOST_B)/obj/%.o,$(HOST_ARCH_SRCS))

$(HOST_B)/obj/kernel/%.c.o: kernel/%.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_FREE_CFLAGS) -c $< -o $@
$(HOST_B)/obj/core/common/%.c.o: core/common/%.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_FREE_CFLAGS) -c $< -o $@
$(HOST_B)/obj/core/common/%.S.o: core/common/%.S $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_FREE_CFLAGS) -c $< -o $@
$(HOST_B)/obj/core/arch/host/%.c.o: core/arch/host/%.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_ARCH_CFLAGS) -c $< -o $@
$(HOST_B)/obj/core/arch/host/%.S.o: core/arch/host/%.S $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_ARCH_CFLAGS) -c $< -o $@

# -rdynamic: arch_backtrace() names functions with dladdr().
$(HOST_B)/jinux: $(HOST_OBJS)
	$(CC) $(HOST_SAN) -rdynamic -o $@ $(HOST_OBJS)

# The stub each guest address space runs: static, no libc, linked high
# so that it never collides with guest mappings (below USER_VA_MAX).
$(HOST_B)/jinux-stub: $(HOST_STUB_SRCS) core/arch/host/stub/stub_abi.h $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -O2 -static -nostdlib -fno-pie -no-pie \
		-fno-stack-protector -Wl,-Ttext=0x7ff800000000 -Wl,--build-id=none \
		-o $@ $(HOST_STUB_SRCS)

HOST_TARGETS := $(HOST_B)/jinux $(HOST_B)/jinux-stub
ALL_TARGETS += $(HOST_TARGETS)
.PHONY: host
host: $(HOST_TARGETS)
