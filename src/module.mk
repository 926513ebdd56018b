# SPDX-License-Identifier: Apache-2.0
# The core library: store, content, journey, people, report, config, util.
CORE_SRCS := $(wildcard src/*.c)
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o)
CORE_LIB  := $(BUILD)/libsotay.a
CORE_LIBS   = $(call pc_libs,$(PKGS_CORE))

$(CORE_LIB): $(CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
