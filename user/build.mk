# Programs that run inside Jinux, built static with musl.
USER_B := $(B)/user
USER_PROGS := hello init
USER_BINS := $(patsubst %,$(USER_B)/%,$(USER_PROGS))

$(USER_B)/%: user/%.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

ALL_TARGETS += $(USER_BINS)
