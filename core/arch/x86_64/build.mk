# Bare-metal x86_64 target: build/x86_64/jinux.elf (bootable by QEMU -kernel)
# and build/x86_64/jinux.iso (GRUB, Multiboot2).

X86_B := $(B)/x86_64
X86_CFLAGS := $(WARN) -O2 -g -MMD -MP $(FREESTANDING) -mno-red-zone -mcmodel=kernel \
	-fno-pic -fno-pie -mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 \
	-fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables
X86_ARCH_CFLAGS := $(X86_CFLAGS) -Icore/common
X86_ARCH_SRCS := $(sort $(wildcard core/arch/x86_64/*.c core/arch/x86_64/*.S))
X86_LDSCRIPT := core/arch/x86_64/kernel.ld

X86_OBJS := $(patsubst %,$(X86_B)/obj/%.o,$(KERNEL_SRCS) $(COMMON_SRCS) $(LIBK_SRCS) $(X86_ARCH_SRCS))

$(X86_B)/obj/kernel/%.c.o: kernel/%.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(X86_CFLAGS) -c $< -o $@
$(X86_B)/obj/core/%.c.o: core/%.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(X86_ARCH_CFLAGS) -c $< -o $@
$(X86_B)/obj/core/%.S.o: core/%.S $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(X86_ARCH_CFLAGS) -c $< -o $@

$(X86_B)/jinux.elf: $(X86_OBJS) $(X86_LDSCRIPT)
	ld -n -nostdlib -z max-page-size=0x1000 -T $(X86_LDSCRIPT) -o $@ $(X86_OBJS)

X86_TARGETS := $(X86_B)/jinux.elf
ALL_TARGETS += $(X86_TARGETS)
.PHONY: x86_64
x86_64: $(X86_TARGETS)
