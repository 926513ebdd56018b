/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen-help.c: help for the screen below it (F1 or ?), in the chosen
 * language, scrollable; any other key goes back.
 */
#include <stdint.h>
#include <stdlib.h>

#include "i18n.h"
#include "tui.h"

static const char *const help_texts[HELP_COUNT] = {
	[HELP_HOME] = N_("Trang chủ của ki-ốt. “Người dân tự làm”: tự làm theo hướng dẫn từng bước, có mã để lần sau làm tiếp. “Tình nguyện viên”: đăng nhập bằng mã PIN để giúp người dân. “Tổ trưởng”: đồng bộ, xem báo cáo, quản lý tình nguyện viên. Dòng dưới cùng cho biết có mạng không, số sự kiện chờ gửi và lần đồng bộ gần nhất. Máy tự về trang này khi lâu không dùng."),
	[HELP_MENU] = N_("Chọn một mục bằng phím số hoặc bằng mũi tên rồi Enter. Esc hoặc ← để quay lại."),
	[HELP_FORM] = N_("Gõ vào ô đang sáng. ← →: di chuyển con trỏ trong ô; Home, End: về đầu, về cuối; Backspace xoá chữ trước con trỏ, Delete xoá chữ sau con trỏ. Số bên trên ô (ví dụ 12/60) là số chữ đã gõ và số chữ tối đa. Enter sang ô tiếp theo hoặc xác nhận ở ô cuối; Tab đổi ô. Esc quay lại mà không lưu; nếu đã gõ gì, máy hỏi lại trước khi bỏ."),
	[HELP_RESIDENT] = N_("Chọn “Bắt đầu một việc mới” để chọn dịch vụ cần làm, hoặc “Tiếp tục bằng mã” nếu bạn đã có mã từ lần trước."),
	[HELP_INFO] = N_("Đây là những gì việc này cần: thời gian, giấy tờ mang theo và việc phải làm trước. Chọn “Bắt đầu”, hoặc làm việc cần làm trước."),
	[HELP_CONSENT] = N_("Đồng ý thì máy lưu tiến độ và đưa bạn một mã tiếp tục. Không đồng ý thì bạn vẫn làm được, nhưng không lưu gì về bạn."),
	[HELP_CODE] = N_("Mã tiếp tục có 6 chữ và số. Ghi lại mã, lần sau gõ mã ở “Tiếp tục bằng mã” để làm tiếp đúng chỗ đã dừng."),
	[HELP_STEP] = N_("Làm theo bước trên màn hình, rồi nhấn một phím số: 1 (hoặc Enter): bước này xong. 2: bỏ qua. 3: bị vướng (chọn lý do). 4: ghi chú. 5: hoàn tác dấu gần nhất. 6: đọc to bước này (nhấn lần nữa để dừng). ← →: bước trước/sau. ↑ ↓: cuộn chữ. Esc: tạm dừng (mọi bước đã lưu). Mỗi dấu được lưu ngay, mất điện cũng không mất."),
	[HELP_BLOCK] = N_("Chọn lý do gần đúng nhất, hoặc “Lý do khác” để tự gõ. Lý do giúp tổ công nghệ số biết chỗ mọi người hay bị vướng."),
	[HELP_FINISH] = N_("Tóm tắt: số bước xong, bỏ qua, bị vướng và việc nên làm tiếp. Nếu còn bước chưa xong, dùng mã tiếp tục để quay lại. Phím 1: in phiếu mang về (mã tiếp tục, việc còn lại, giấy tờ cần mang) khi ki-ốt có máy in."),
	[HELP_LOGIN] = N_("Chọn tên của bạn rồi gõ mã PIN. Sai 5 lần thì tài khoản bị khoá 5 phút."),
	[HELP_PIN] = N_("Gõ mã PIN (chỉ chữ số, hiện thành dấu chấm) rồi Enter."),
	[HELP_VOLUNTEER] = N_("Thêm người dân mới (hỏi đồng ý trước), tìm người dân theo tên hoặc mã, hoặc xem ai đang có việc dở hôm nay. Esc để đăng xuất."),
	[HELP_ADD] = N_("Chỉ họ tên là bắt buộc. Năm sinh, giới tính (1 nữ, 2 nam), thôn giúp báo cáo; số điện thoại không bắt buộc và không rời khỏi máy."),
	[HELP_FIND] = N_("Gõ một phần tên (không phân biệt hoa thường) hoặc mã tiếp tục 6 ký tự."),
	[HELP_PERSON] = N_("Chọn việc đang dở để làm tiếp, hoặc bắt đầu việc mới cho người dân này."),
	[HELP_SUPERVISOR] = N_("Đồng bộ với máy chủ tỉnh, xem báo cáo tuần và tháng, quản lý tình nguyện viên. Ở chế độ ki-ốt, chỉ tổ trưởng mới thoát được chương trình."),
	[HELP_SYNC] = N_("Enter bắt đầu đồng bộ: gửi các sự kiện đang chờ và nhận hướng dẫn mới. Đứt mạng giữa chừng cũng không sao: lần sau sẽ gửi tiếp. C để huỷ."),
	[HELP_REPORT] = N_("W: tuần này, M: tháng này. Thanh cho biết tỉ lệ hoàn thành; cuối báo cáo là những chỗ người dân hay bị vướng nhất."),
	[HELP_ENROL] = N_("Ghi danh nối ki-ốt với máy chủ tỉnh: gõ hoặc dán địa chỉ máy chủ và mã ghi danh (token) mà tỉnh cấp, rồi Enter. Mã chỉ dùng được cho ki-ốt này; ghi danh lại không làm mất dữ liệu. Xong thì đồng bộ được ngay."),
	[HELP_VOLUNTEERS] = N_("Chọn “Thêm” để thêm người mới, hoặc chọn một người để tắt/bật tài khoản hay đặt lại mã PIN."),
};

const char *
help_text(int topic)
{
	if (topic <= HELP_NONE || topic >= HELP_COUNT)
		topic = HELP_MENU;
	return _(help_texts[topic]);
}

struct help {
	int	id;
	int	scroll;
};

static void
help_enter(struct tui *t, struct view *v)
{
	struct help *hp = xcalloc(1, sizeof *hp);

	hp->id = (int)(intptr_t)v->state;
	if (hp->id <= HELP_NONE || hp->id >= HELP_COUNT)
		hp->id = HELP_MENU;
	v->state = hp;
}

static void
help_leave(struct tui *t, struct view *v)
{
	free(v->state);
}

static int
help_key(struct tui *t, struct view *v, int key)
{
	struct help *hp = v->state;

	switch (key) {
	case TK(KEY_DOWN):
	case TK(KEY_NPAGE):
		hp->scroll += key == TK(KEY_DOWN) ? 1 : 10;
		return REDRAW;
	case TK(KEY_UP):
	case TK(KEY_PPAGE):
		hp->scroll -= key == TK(KEY_UP) ? 1 : 10;
		if (hp->scroll < 0)
			hp->scroll = 0;
		return REDRAW;
	}
	tui_pop(t);
	return REDRAW;
}

static void
help_draw(struct tui *t, struct view *v, WINDOW *win, int h, int w)
{
	struct help *hp = v->state;
	struct draw_lines l = { 0 };
	struct draw_key keys[] = {
		{ "↑↓", _("Cuộn") },
		{ "Esc", _("Quay lại") },
	};
	int rows = TUI_BODY_BOTTOM(h) - TUI_BODY_TOP + 1, y;
	size_t i;

	draw_wrap(help_text(hp->id), w - 4, &l);
	draw_wrap("", w - 4, &l);
	draw_wrap(_("Phím luôn dùng được: mũi tên và Enter để chọn; phím số chọn thẳng mục; Esc quay lại; F1 hoặc ? mở trợ giúp; F2 đổi ngôn ngữ."), w - 4, &l);
	if (hp->scroll > (int)l.n - rows)
		hp->scroll = (int)l.n - rows > 0 ? (int)l.n - rows : 0;
	for (i = (size_t)hp->scroll, y = TUI_BODY_TOP; i < l.n && y <= TUI_BODY_BOTTOM(h); i++, y++)
		draw_text(win, y, 2, w - 4, l.line[i], DS_NORMAL);
	draw_lines_free(&l);
	tui_frame(t, win, h, w, _("Trợ giúp"), keys, sizeof keys / sizeof keys[0]);
}

const struct screen screen_help = {
	.name = "help",
	.help = HELP_HOME,
	.enter = help_enter,
	.key = help_key,
	.draw = help_draw,
	.leave = help_leave,
};
