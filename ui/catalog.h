/* SPDX-License-Identifier: Apache-2.0 */
/*
 * catalog.h: every word the terminal UI shows, in one table, Vietnamese
 * first and English beside it (checklist text comes from the checklists
 * themselves, through text_get). One X-macro row per message gives both the
 * id and the wording, so an id cannot exist without its two texts.
 * Strings with % are printf formats; their arguments are noted in the id's
 * users, and the same in both languages.
 */
#ifndef SOTAY_CATALOG_H
#define SOTAY_CATALOG_H

#define CATALOG(X) \
X(T_NONE, "", "") \
X(T_APP, "Sổ tay số", "Sổ tay số (digital handbook)") \
X(T_APP_TITLE, "Sổ tay số — Trang chủ", "Sổ tay số — Home") \
X(T_TOO_SMALL, "Cửa sổ quá nhỏ (%d×%d).", "The terminal is too small (%d×%d).") \
X(T_TOO_SMALL2, "Hãy phóng to cửa sổ tối thiểu %d×%d để dùng tiếp; không mất dữ liệu nào.", \
  "Please enlarge it to at least %d×%d to go on; nothing is lost.") \
X(T_IDLE, "Đã về trang chủ vì lâu không dùng; việc đang làm đã được lưu.", \
  "Back to the home screen after a while unused; the work in progress is saved.") \
X(T_ONLINE, "Có mạng", "Online") \
X(T_OFFLINE, "Ngoại tuyến", "Offline") \
X(T_WAITING, "%lld sự kiện chờ gửi", "%lld events waiting") \
X(T_LAST_SYNC, "Đồng bộ lần cuối: %s", "Last sync: %s") \
X(T_NEVER_SYNCED, "chưa lần nào", "never") \
X(T_HAMLET, "Thôn: ", "Hamlet: ") \
X(T_COMMUNE, "Xã/phường: ", "Commune: ") \
X(T_HOME_WELCOME, "Xin chào! Chọn việc bằng phím số, hoặc mũi tên rồi Enter.", \
  "Welcome! Choose with a number key, or the arrows and Enter.") \
X(T_HOME_RESIDENT, "Người dân tự làm", "Resident on your own") \
X(T_HOME_VOLUNTEER, "Tình nguyện viên", "Volunteer") \
X(T_HOME_SUPERVISOR, "Tổ trưởng", "Supervisor") \
X(T_HOME_LANG, "English", "Tiếng Việt") \
X(T_HOME_HELP, "Hướng dẫn sử dụng", "How to use this kiosk") \
X(T_HOME_QUIT, "Thoát", "Quit") \
X(T_OK, "Đồng ý", "OK") \
X(T_YES, "Có, tôi đồng ý", "Yes, I agree") \
X(T_NO_THANKS, "Không, cảm ơn", "No, thank you") \
X(T_MORE_BELOW, "↓ còn nữa (↑/↓ để cuộn)", "↓ more (↑/↓ to scroll)") \
X(T_K_HELP, "Trợ giúp", "Help") \
X(T_K_LANG, "English", "Tiếng Việt") \
X(T_K_BACK, "Quay lại", "Back") \
X(T_K_CHOOSE, "Chọn", "Choose") \
X(T_K_MOVE, "Di chuyển", "Move") \
X(T_K_QUIT, "Thoát", "Quit") \
X(T_K_NEXT, "Ô tiếp", "Next") \
X(T_K_CONFIRM, "Xác nhận", "Confirm") \
X(T_K_FIELD, "Đổi ô", "Field") \
X(T_K_SCROLL, "Cuộn", "Scroll") \
X(T_K_DONE, "Xong", "Done") \
X(T_K_SKIP, "Bỏ qua", "Skip") \
X(T_K_BLOCK, "Vướng", "Blocked") \
X(T_K_NOTE, "Ghi chú", "Note") \
X(T_K_UNDO, "Hoàn tác", "Undo") \
X(T_K_STEP, "Bước", "Step") \
X(T_K_PAUSE, "Tạm dừng", "Pause") \
X(T_K_CLOSE, "Xong", "Close") \
X(T_K_BEGIN, "Bắt đầu", "Begin") \
X(T_K_LOGOUT, "Đăng xuất", "Log out") \
X(T_K_SYNC, "Đồng bộ", "Sync") \
X(T_K_CANCEL, "Huỷ", "Cancel") \
X(T_RES_INTRO, "Bạn có thể tự làm theo từng bước. Lần sau quay lại, gõ mã tiếp tục để làm tiếp.", \
  "You can follow the steps on your own. When you come back, type your resume code to go on.") \
X(T_RES_NEW, "Bắt đầu một việc mới", "Start something new") \
X(T_RES_RESUME, "Tiếp tục bằng mã", "Continue with a code") \
X(T_CHOOSE_CATEGORY, "Chọn nhóm việc", "Choose a kind of task") \
X(T_CHOOSE_CHECKLIST, "Chọn việc cần làm:", "Choose a task:") \
X(T_NO_CHECKLISTS, "Máy chưa có hướng dẫn nào. Tổ trưởng hãy đồng bộ với máy chủ hoặc cài gói hướng dẫn.", \
  "This kiosk has no checklists yet. A supervisor should sync with the server or install the checklist package.") \
X(T_N_TASKS, "%d việc", "%d tasks") \
X(T_MINUTES, "~%d phút", "~%d min") \
X(T_INFO_TIME, "Thời gian: khoảng %d phút · %d bước", "Time: about %d minutes · %d steps") \
X(T_INFO_BRING, "Cần mang theo:", "Bring:") \
X(T_INFO_PREREQ, "Cần làm trước:", "Do these first:") \
X(T_INFO_OFFICIAL, "Trang chính thức: ", "Official site: ") \
X(T_INFO_APP, "  Ứng dụng: ", "  App: ") \
X(T_INFO_START, "Bắt đầu", "Start") \
X(T_INFO_DO_FIRST, "Làm trước: %s", "Do first: %s") \
X(T_CONSENT_TITLE, "Lưu tiến độ", "Keep your progress") \
X(T_CONSENT_TEXT, "Máy có thể lưu tiến độ của bạn kèm một mã tiếp tục, để lần sau bạn làm tiếp. Máy chỉ lưu tên gọi (nếu bạn muốn ghi) và thôn; không bao giờ hỏi mật khẩu hay mã OTP. Bạn có đồng ý không?", \
  "The kiosk can keep your progress with a resume code, so you can go on next time. It keeps only a name (if you want one) and your hamlet; it never asks for passwords or OTP codes. Do you agree?") \
X(T_NAME_WHY, "Tên gọi giúp tình nguyện viên nhận ra bạn. Có thể bỏ trống: nhấn Enter.", \
  "A name helps volunteers recognise you. You may leave it empty: press Enter.") \
X(T_NAME_OPTIONAL, "Tên gọi (có thể bỏ trống)", "Name (may be left empty)") \
X(T_DEFAULT_NAME, "Người dân", "Resident") \
X(T_NO_CONSENT_NOTE, "Không lưu thông tin: bạn vẫn làm được, nhưng sẽ không có mã để làm tiếp lần sau.", \
  "Nothing kept about you: you can go on, but there will be no code to continue next time.") \
X(T_NEED_RESIDENT, "Hãy chọn hoặc thêm người dân trước.", "Choose or add a resident first.") \
X(T_CODE_TITLE, "Mã tiếp tục của bạn", "Your resume code") \
X(T_CODE_TEXT, "Hãy ghi lại mã này. Lần sau chọn “Người dân tự làm” → “Tiếp tục bằng mã” và gõ mã để làm tiếp.", \
  "Write this code down. Next time choose “Resident on your own” → “Continue with a code” and type it.") \
X(T_CODE_IS, "Mã tiếp tục: %s", "Resume code: %s") \
X(T_CODE_ASK, "Gõ mã tiếp tục bạn được đưa lần trước (6 chữ và số, ví dụ K7M2QX).", \
  "Type the resume code you were given last time (6 letters and digits, e.g. K7M2QX).") \
X(T_CODE_LABEL, "Mã tiếp tục", "Resume code") \
X(T_CODE_BAD, "Mã không đúng dạng: mã có 6 chữ và số (không có 0, 1, I, L, O). Hãy gõ lại.", \
  "That is not a code: a code has 6 letters and digits (no 0, 1, I, L, O). Please type it again.") \
X(T_CODE_UNKNOWN, "Không tìm thấy mã %s trên máy này. Hãy kiểm tra lại, hoặc nhờ tình nguyện viên.", \
  "No code %s on this kiosk. Check it again, or ask a volunteer.") \
X(T_PERSON_TITLE, "Người dân: %s", "Resident: %s") \
X(T_PERSON_CODE, "Mã tiếp tục: %s", "Resume code: %s") \
X(T_PERSON_OPEN, "Việc đang dở — chọn để làm tiếp:", "Unfinished — choose one to go on:") \
X(T_PERSON_NONE_OPEN, "Không có việc nào đang dở.", "Nothing unfinished.") \
X(T_PERSON_NEW, "Bắt đầu việc mới", "Start something new") \
X(T_SESSION_DETAIL, "%d/%d bước · %s", "%d/%d steps · %s") \
X(T_STATE_ACTIVE, "đang làm", "active") \
X(T_STATE_PAUSED, "tạm dừng", "paused") \
X(T_STEP_OF, "Bước %d/%zu", "Step %d/%zu") \
X(T_STEPS, "Các bước", "Steps") \
X(T_TIP, "Mẹo: ", "Tip: ") \
X(T_MARK_DONE, "đã xong", "done") \
X(T_MARK_SKIPPED, "đã bỏ qua", "skipped") \
X(T_MARK_BLOCKED, "bị vướng", "blocked") \
X(T_MARK_TODO, "chưa làm", "to do") \
X(T_BLOCKED_BECAUSE, "Vướng vì: %s", "Blocked because: %s") \
X(T_SCAN_QR, "Quét để mở trang", "Scan to open") \
X(T_SAVED_DONE, "Đã lưu: bước %d xong.", "Saved: step %d done.") \
X(T_SAVED_SKIPPED, "Đã lưu: bỏ qua bước %d.", "Saved: step %d skipped.") \
X(T_SAVED_BLOCKED, "Đã lưu: bước %d bị vướng.", "Saved: step %d blocked.") \
X(T_SAVED_NOTE, "Đã lưu ghi chú.", "Note saved.") \
X(T_SAVED_UNDO, "Đã hoàn tác dấu gần nhất.", "The last mark was undone.") \
X(T_BLOCK_TITLE, "Vì sao bị vướng?", "Why is it blocked?") \
X(T_BLOCK_OTHER, "Lý do khác (tự gõ)", "Another reason (type it)") \
X(T_BLOCK_TYPE, "Lý do", "Reason") \
X(T_BLOCK_EMPTY, "Hãy gõ lý do, hoặc Esc để quay lại.", "Type a reason, or Esc to go back.") \
X(T_NOTE_TITLE, "Ghi chú", "Note") \
X(T_NOTE_TYPE, "Ghi chú cho bước này (không ghi mật khẩu, mã OTP)", "Note for this step (no passwords or OTP codes)") \
X(T_NOTE_LINE, "Ghi chú (%s): %s", "Note (%s): %s") \
X(T_FIN_NOTES, "Ghi chú của buổi làm:", "Notes from this session:") \
X(T_FIN_NOTE, "  Bước %d (%s): %s", "  Step %d (%s): %s") \
X(T_FIN_NOTES_MORE, "  … và %zu ghi chú khác", "  … and %zu more notes") \
X(T_FIN_FINISHED, "Hoàn thành! Mọi bước đã được đánh dấu.", "Finished! Every step is marked.") \
X(T_FIN_PAUSED, "Đã tạm dừng. Mọi bước đã làm đều được lưu.", "Paused. Every step so far is saved.") \
X(T_FIN_COUNTS, "Xong: %d   Bỏ qua: %d   Vướng: %d   Còn lại: %d", "Done: %d   Skipped: %d   Blocked: %d   Left: %d") \
X(T_FIN_NEXT_BLOCKED, "Việc tiếp theo: giải quyết các bước bị vướng dưới đây (mang đủ giấy tờ, hỏi cán bộ xã) rồi quay lại làm tiếp.", \
  "Next: sort out the blocked steps below (bring the papers, ask the commune officer), then come back to finish.") \
X(T_FIN_NEXT_LEFT, "Việc tiếp theo: quay lại bất cứ lúc nào và dùng mã tiếp tục để làm nốt các bước còn lại.", \
  "Next: come back any time and use your resume code to do the steps that are left.") \
X(T_FIN_NEXT_DONE, "Việc tiếp theo: từ nay bạn có thể tự dùng %s. Hỏi tình nguyện viên nếu cần.", \
  "Next: from now on you can use %s yourself. Ask a volunteer if you need help.") \
X(T_FIN_NO_CODE, "Không có mã tiếp tục vì bạn chọn không lưu thông tin. Lần sau hãy bắt đầu lại, hoặc nhờ tình nguyện viên.", \
  "There is no resume code because you chose not to keep your details. Start again next time, or ask a volunteer.") \
X(T_VOL_CHOOSE, "Chọn tên của bạn:", "Choose your name:") \
X(T_SUP_CHOOSE, "Chọn tên tổ trưởng:", "Choose the supervisor:") \
X(T_VOL_NONE, "Chưa có tình nguyện viên nào. Tổ trưởng thêm ở mục Tổ trưởng → Tình nguyện viên.", \
  "There are no volunteers yet. A supervisor adds them under Supervisor → Volunteers.") \
X(T_SUP_NONE, "Chưa có tổ trưởng nào trên máy này. Thêm bằng lệnh “sotay volunteer” (xem sotay --help).", \
  "There is no supervisor on this kiosk yet. Add one with the “sotay volunteer” command (see sotay --help).") \
X(T_PIN_FOR, "Mã PIN của %s", "PIN for %s") \
X(T_PIN_WRONG, "Sai mã PIN. Còn %d lần thử trước khi bị tạm khoá.", "Wrong PIN. %d tries left before a lockout.") \
X(T_PIN_LOCKED, "Tài khoản tạm khoá vì nhập sai nhiều lần. Thử lại sau %s (khoảng %d phút), hoặc nhờ tổ trưởng đặt lại mã PIN.", \
  "Locked after too many wrong PINs. Try again after %s (about %d minutes), or ask a supervisor to reset the PIN.") \
X(T_PIN_DISABLED, "Tài khoản này đã bị tắt. Hãy hỏi tổ trưởng.", "This account is disabled. Ask a supervisor.") \
X(T_PIN_UNKNOWN, "Không tìm thấy người này trên máy. Hãy chọn lại.", "This person is not on the kiosk. Choose again.") \
X(T_NOT_SUPERVISOR, "%s không phải tổ trưởng: mục này chỉ dành cho tổ trưởng.", "%s is not a supervisor: this is for supervisors only.") \
X(T_ROLE_VOL, "tình nguyện viên", "volunteer") \
X(T_ROLE_SUP, "tổ trưởng", "supervisor") \
X(T_VOL_MENU_TITLE, "Tình nguyện viên: %s", "Volunteer: %s") \
X(T_VOL_ADD, "Thêm người dân", "Add a resident") \
X(T_VOL_FIND, "Tìm người dân (tên hoặc mã)", "Find a resident (name or code)") \
X(T_VOL_TODAY, "Hôm nay: người dân và việc đang dở", "Today: residents and unfinished work") \
X(T_VOL_LOGOUT, "Đăng xuất", "Log out") \
X(T_CONSENT_VOL, "Trước khi ghi: hỏi người dân có đồng ý để tổ công nghệ số lưu họ tên, năm sinh, giới tính, thôn và số điện thoại (nếu có) trên máy này không. Tên và số điện thoại không rời khỏi máy; không bao giờ ghi mật khẩu hay mã OTP.", \
  "Before writing anything: ask the resident whether they agree that the team keeps their name, birth year, sex, hamlet and phone (if any) on this kiosk. Names and phones never leave it; passwords and OTP codes are never written down.") \
X(T_NO_CONSENT_VOL, "Người dân không đồng ý: không ghi gì. Vẫn có thể hướng dẫn họ mà không lưu.", \
  "The resident did not agree: nothing was written. You can still guide them without saving.") \
X(T_FORM_NAME, "Họ tên", "Name") \
X(T_FORM_BIRTH, "Năm sinh (không bắt buộc)", "Birth year (optional)") \
X(T_FORM_SEX, "Giới tính: n = nữ, m = nam, để trống = không nói", "Sex: f = female, m = male, empty = not said") \
X(T_FORM_HAMLET, "Thôn", "Hamlet") \
X(T_FORM_PHONE, "Số điện thoại (không bắt buộc)", "Phone (optional)") \
X(T_FORM_ROLE, "Vai trò: t = tình nguyện viên, s = tổ trưởng", "Role: t = volunteer, s = supervisor") \
X(T_FORM_PIN, "Mã PIN (4–12 chữ số)", "PIN (4–12 digits)") \
X(T_FORM_NEED_NAME, "Cần nhập họ tên.", "A name is needed.") \
X(T_FORM_BAD_YEAR, "Năm sinh phải là năm từ 1900 đến nay, hoặc để trống.", "The birth year must be between 1900 and this year, or empty.") \
X(T_FORM_BAD_SEX, "Giới tính: gõ n (nữ), m (nam) hoặc để trống.", "Sex: type f (female), m (male) or leave it empty.") \
X(T_FORM_BAD_ROLE, "Vai trò: gõ t (tình nguyện viên) hoặc s (tổ trưởng).", "Role: type t (volunteer) or s (supervisor).") \
X(T_RES_ADDED, "Đã thêm %s, mã tiếp tục %s.", "Added %s, resume code %s.") \
X(T_FIND_PROMPT, "Tên hoặc mã tiếp tục", "Name or resume code") \
X(T_FIND_NONE, "Không tìm thấy ai với “%s”. Thử một phần của tên, hoặc mã 6 ký tự.", "Nobody found for “%s”. Try part of the name, or the 6-character code.") \
X(T_FIND_RESULTS, "Kết quả cho “%s”", "Results for “%s”") \
X(T_TODAY_INTRO, "Việc đang dở và người dân thêm hôm nay:", "Unfinished work and residents added today:") \
X(T_TODAY_NONE, "Hôm nay chưa có ai, và không có việc nào đang dở.", "Nobody yet today, and nothing unfinished.") \
X(T_SUP_TITLE, "Tổ trưởng: %s", "Supervisor: %s") \
X(T_SUP_SYNC, "Đồng bộ ngay", "Sync now") \
X(T_SUP_REPORT, "Báo cáo", "Reports") \
X(T_SUP_VOLUNTEERS, "Tình nguyện viên", "Volunteers") \
X(T_SUP_LEAVE_KIOSK, "Rời chế độ kiosk (thoát chương trình)", "Leave kiosk mode (quit the program)") \
X(T_SUP_QUIT, "Thoát chương trình", "Quit the program") \
X(T_SYNC_PENDING, "Sự kiện chờ gửi: %lld (tổng %lld)", "Events waiting: %lld (of %lld)") \
X(T_SYNC_LAST_ERR, "Lỗi lần trước: %s", "Last error: %s") \
X(T_SYNC_READY, "Nhấn Enter để đồng bộ với máy chủ tỉnh.", "Press Enter to sync with the provincial server.") \
X(T_SYNC_RUNNING, "Đang đồng bộ… đã gửi %lld/%lld sự kiện, %lld byte", "Syncing… %lld/%lld events sent, %lld bytes") \
X(T_SYNC_DONE, "Đồng bộ xong: đã gửi %lld sự kiện, nhận %d hướng dẫn mới.", "Sync done: %lld events sent, %d new checklists.") \
X(T_SYNC_FAILED, "Đồng bộ chưa xong: %s", "Sync did not finish: %s") \
X(T_REP_WEEK, "Tuần này", "This week") \
X(T_REP_MONTH, "Tháng này", "This month") \
X(T_REP_TOTALS, "Người được giúp: %d · Bắt đầu: %d · Hoàn thành: %d (%d%%)", "People helped: %d · Started: %d · Finished: %d (%d%%)") \
X(T_REP_NONE, "Chưa có số liệu trong khoảng này.", "No figures for this period yet.") \
X(T_REP_BY_CHECKLIST, "Theo hướng dẫn (hoàn thành/bắt đầu)", "By checklist (finished/started)") \
X(T_REP_BY_CATEGORY, "Theo nhóm kỹ năng", "By skill") \
X(T_REP_BLOCKS, "Hay bị vướng nhất", "Most frequent blocks") \
X(T_VOLS_ADD, "+ Thêm tình nguyện viên", "+ Add a volunteer") \
X(T_VOLS_ADDED, "Đã thêm %s.", "Added %s.") \
X(T_VOLS_DISABLED, " · đã tắt", " · disabled") \
X(T_VOLS_LOCKED, " · đang khoá", " · locked") \
X(T_VOLS_DISABLE, "Tắt tài khoản", "Disable the account") \
X(T_VOLS_ENABLE, "Bật lại tài khoản", "Enable the account") \
X(T_VOLS_RESET, "Đặt lại mã PIN", "Reset the PIN") \
X(T_VOLS_NEW_PIN, "Mã PIN mới (4–12 chữ số)", "New PIN (4–12 digits)") \
X(T_VOLS_PIN_AGAIN, "Gõ lại mã PIN", "The PIN again") \
X(T_VOLS_PIN_MISMATCH, "Hai lần gõ mã PIN không khớp. Hãy gõ lại.", "The two PINs differ. Please type them again.") \
X(T_VOLS_SAVED, "Đã lưu.", "Saved.") \
X(T_VOLS_NOT_SELF, "Không thể tự tắt tài khoản của mình: nhờ một tổ trưởng khác.", "You cannot disable your own account: ask another supervisor.") \
X(T_HELP_TITLE, "Trợ giúp", "Help") \
X(T_HELP_KEYS, "Phím luôn dùng được: mũi tên và Enter để chọn; phím số chọn thẳng mục; Esc quay lại; F1 hoặc ? mở trợ giúp; F2 đổi ngôn ngữ.", \
  "Keys that always work: the arrows and Enter to choose; a number key picks an item; Esc goes back; F1 or ? opens help; F2 switches the language.") \
X(T_HELP_HOME, "Trang chủ của kiosk. “Người dân tự làm”: tự làm theo hướng dẫn từng bước, có mã để lần sau làm tiếp. “Tình nguyện viên”: đăng nhập bằng mã PIN để giúp người dân. “Tổ trưởng”: đồng bộ, xem báo cáo, quản lý tình nguyện viên. Dòng dưới cùng cho biết có mạng không, số sự kiện chờ gửi và lần đồng bộ gần nhất. Máy tự về trang này khi lâu không dùng.", \
  "The kiosk's home. “Resident on your own”: follow a guide step by step, with a code to go on next time. “Volunteer”: log in with your PIN to help residents. “Supervisor”: sync, read reports, manage volunteers. The bottom line says whether the kiosk is online, how many events wait to be sent and when it last synced. The kiosk comes back here when left unused.") \
X(T_HELP_MENU, "Chọn một mục bằng phím số hoặc bằng mũi tên rồi Enter. Esc hoặc ← để quay lại.", \
  "Choose an item with its number key, or with the arrows and Enter. Esc or ← goes back.") \
X(T_HELP_FORM, "Gõ vào ô đang sáng. Enter sang ô tiếp theo hoặc xác nhận ở ô cuối; Tab đổi ô; Backspace xoá; Esc quay lại mà không lưu.", \
  "Type into the highlighted field. Enter goes to the next field, or confirms on the last; Tab changes field; Backspace deletes; Esc goes back without saving.") \
X(T_HELP_RESIDENT, "Chọn “Bắt đầu một việc mới” để chọn dịch vụ cần làm, hoặc “Tiếp tục bằng mã” nếu bạn đã có mã từ lần trước.", \
  "Choose “Start something new” to pick a service, or “Continue with a code” if you have a code from last time.") \
X(T_HELP_INFO, "Đây là những gì việc này cần: thời gian, giấy tờ mang theo và việc phải làm trước. Chọn “Bắt đầu”, hoặc làm việc cần làm trước.", \
  "What this task takes: time, papers to bring and what to do first. Choose “Start”, or do the earlier task first.") \
X(T_HELP_CONSENT, "Đồng ý thì máy lưu tiến độ và đưa bạn một mã tiếp tục. Không đồng ý thì bạn vẫn làm được, nhưng không lưu gì về bạn.", \
  "If you agree, the kiosk keeps your progress and gives you a resume code. If not, you can still go on, but nothing about you is kept.") \
X(T_HELP_CODE, "Mã tiếp tục có 6 chữ và số. Ghi lại mã, lần sau gõ mã ở “Tiếp tục bằng mã” để làm tiếp đúng chỗ đã dừng.", \
  "A resume code has 6 letters and digits. Write it down and type it under “Continue with a code” next time to go on where you stopped.") \
X(T_HELP_STEP, "Làm theo bước trên màn hình. Enter: bước này xong. S: bỏ qua. B: bị vướng (chọn lý do). N: ghi chú. U: hoàn tác dấu gần nhất. ← →: bước trước/sau. ↑ ↓: cuộn chữ. Q: tạm dừng (mọi bước đã lưu). Mỗi dấu được lưu ngay, mất điện cũng không mất.", \
  "Follow the step on screen. Enter: this step is done. S: skip. B: blocked (choose a reason). N: note. U: undo the last mark. ← →: previous/next step. ↑ ↓: scroll the text. Q: pause (every step is saved). Each mark is saved at once, even if the power fails.") \
X(T_HELP_BLOCK, "Chọn lý do gần đúng nhất, hoặc “Lý do khác” để tự gõ. Lý do giúp tổ trưởng biết chỗ người dân hay bị vướng.", \
  "Choose the closest reason, or “Another reason” to type one. Reasons tell supervisors where residents get stuck.") \
X(T_HELP_FINISH, "Tóm tắt: số bước xong, bỏ qua, bị vướng và việc nên làm tiếp. Nếu còn bước chưa xong, dùng mã tiếp tục để quay lại.", \
  "The summary: steps done, skipped and blocked, and what to do next. If steps are left, use the resume code to come back.") \
X(T_HELP_LOGIN, "Chọn tên của bạn rồi gõ mã PIN. Sai 5 lần thì tài khoản bị khoá 5 phút.", \
  "Choose your name, then type your PIN. Five wrong PINs lock the account for five minutes.") \
X(T_HELP_PIN, "Gõ mã PIN (chỉ chữ số, hiện thành dấu chấm) rồi Enter.", "Type your PIN (digits only, shown as dots), then Enter.") \
X(T_HELP_VOLUNTEER, "Thêm người dân mới (hỏi đồng ý trước), tìm người dân theo tên hoặc mã, hoặc xem ai đang có việc dở hôm nay. Esc để đăng xuất.", \
  "Add a new resident (ask for consent first), find one by name or code, or see who has unfinished work today. Esc logs out.") \
X(T_HELP_ADD, "Chỉ họ tên là bắt buộc. Năm sinh, giới tính, thôn giúp báo cáo; số điện thoại không bắt buộc và không rời khỏi máy.", \
  "Only the name is required. Birth year, sex and hamlet help the reports; the phone is optional and never leaves the kiosk.") \
X(T_HELP_FIND, "Gõ một phần tên (không phân biệt hoa thường) hoặc mã tiếp tục 6 ký tự.", "Type part of a name (any case) or a 6-character resume code.") \
X(T_HELP_PERSON, "Chọn việc đang dở để làm tiếp, hoặc bắt đầu việc mới cho người dân này.", "Choose unfinished work to go on with, or start something new for this resident.") \
X(T_HELP_SUPERVISOR, "Đồng bộ với máy chủ tỉnh, xem báo cáo tuần và tháng, quản lý tình nguyện viên. Ở chế độ kiosk, chỉ tổ trưởng mới thoát được chương trình.", \
  "Sync with the provincial server, read this week's and month's reports, manage volunteers. In kiosk mode only a supervisor can quit the program.") \
X(T_HELP_SYNC, "Enter bắt đầu đồng bộ: gửi các sự kiện đang chờ và nhận hướng dẫn mới. Đứt mạng giữa chừng cũng không sao: lần sau sẽ gửi tiếp. C để huỷ.", \
  "Enter starts a sync: it sends the waiting events and fetches new checklists. A broken link does no harm: the next sync carries on. C cancels.") \
X(T_HELP_REPORT, "W: tuần này, M: tháng này. Thanh cho biết tỉ lệ hoàn thành; cuối báo cáo là những chỗ người dân hay bị vướng nhất.", \
  "W: this week, M: this month. Bars show how many finished; at the end, where residents get stuck most often.") \
X(T_HELP_VOLUNTEERS, "Chọn “Thêm” để thêm người mới, hoặc chọn một người để tắt/bật tài khoản hay đặt lại mã PIN.", \
  "Choose “Add” for a new person, or choose someone to disable/enable the account or reset the PIN.")

#define CATALOG_ENUM(id, vi, en) id,
enum catalog_id { CATALOG(CATALOG_ENUM) T_COUNT };
#undef CATALOG_ENUM

/* The message in the current language (i18n_lang()); never NULL. */
const char	*catalog_text(int id);
#define TR(id)	catalog_text(id)

#endif
