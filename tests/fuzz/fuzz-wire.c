/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-wire.c: libFuzzer harness for everything that reads bytes off the
 * network: the server's batch decoders (both formats) and gunzip, the kiosk's parsers of
 * acks, errors, health, kiosk and content replies. The first byte picks the
 * parser; the rest is the body.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	enum protocol_error err;
	char *cause = NULL, *out = NULL, *msg = NULL;

	if (size == 0)
		return 0;
	switch (data[0] % 7) {
	case 0: {
		/* The same bytes as a /v1/events body and as a /v2/events one. */
		struct protocol_batch b = { 0 };
		protocol_batch_decode(body, len, &b, &err, &cause);
		protocol_batch_free(&b);
		free(cause);
		cause = NULL;
		protocol_batch_decode_version(2, body, len, &b, &err, &cause);
		protocol_batch_free(&b);
		break;
	}
	case 1: {
		struct protocol_ack a = { 0 };
		protocol_ack_parse(body, len, &a, &cause);
		protocol_ack_free(&a);
		break;
	}
	case 2: {
		struct protocol_content c = { 0 };
		protocol_content_parse(body, len, &c, &cause);
		protocol_content_free(&c);
		break;
	}
	case 3:
		protocol_error_parse(body, len, &err, &msg, &cause);
		break;
	case 4: {
		struct protocol_kiosk k = { 0 };
		protocol_kiosk_parse(body, len, &k, &cause);
		protocol_kiosk_free(&k);
		break;
	}
	case 5: {
		int proto;
		int64_t t;
		protocol_health_parse(body, len, &proto, &t, &cause);
		break;
	}
	default: {
		size_t outlen;
		protocol_gunzip(body, len, 1 << 20, &out, &outlen, &err, &cause);
		break;
	}
	}
	free(out);
	free(msg);
	free(cause);
	return 0;
}
