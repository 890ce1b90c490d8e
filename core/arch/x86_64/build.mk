# Bare-metal x86_64 target: build/x86_64/jinux.elf (an ELF64 with a PVH
# note, bootable by qemu-system-x86_64 -kernel, and a Multiboot2 header)
# and build/x86_64/jinux.iso (GRUB, Multiboot2, with the initramfs).

X86_B := $(B)/x86_64
# Copies and clears the compiler inlines (struct assignments, builtins):
# plain moves in a loop up to 256 bytes, a call of memcpy/memset above,
# never rep movs/stos, which QEMU's TCG runs one iteration per
# translation block (core/common/libk/string.c).
X86_STRINGOPS := -mmemcpy-strategy=unrolled_loop:256:noalign,libcall:-1:noalign \
	-mmemset-strategy=unrolled_loop:256:noalign,libcall:-1:noalign
X86_CFLAGS := $(WARN) -O2 -g -MMD -MP $(FREESTANDING) -mno-red-zone -mcmodel=kernel \
	-fno-pic -fno-pie -mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 \
	-fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-asynchronous-unwind-tables $(X86_STRINGOPS)
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

# memcpy and memset must not be compiled into calls of themselves.
$(X86_B)/obj/core/common/libk/string.c.o: X86_ARCH_CFLAGS += -fno-tree-loop-distribute-patterns

$(X86_B)/jinux.elf: $(X86_OBJS) $(X86_LDSCRIPT)
	ld -n -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T $(X86_LDSCRIPT) -o $@ $(X86_OBJS)

# GRUB image: boots jinux.elf with Multiboot2 and the default initramfs.
X86_ISO_DIR := $(X86_B)/iso
$(X86_B)/jinux.iso: $(X86_B)/jinux.elf $(B)/initramfs.cpio core/arch/x86_64/grub.cfg
	rm -rf $(X86_ISO_DIR)
	mkdir -p $(X86_ISO_DIR)/boot/grub
	cp $(X86_B)/jinux.elf $(X86_ISO_DIR)/boot/jinux.elf
	cp $(B)/initramfs.cpio $(X86_ISO_DIR)/boot/initramfs.cpio
	cp core/arch/x86_64/grub.cfg $(X86_ISO_DIR)/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(X86_ISO_DIR) 2>/dev/null

X86_TARGETS := $(X86_B)/jinux.elf $(X86_B)/jinux.iso
ALL_TARGETS += $(X86_TARGETS)
.PHONY: x86_64 x86_64-iso
x86_64: $(X86_TARGETS)
x86_64-iso: $(X86_B)/jinux.iso
