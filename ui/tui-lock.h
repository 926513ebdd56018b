/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tui-lock.h: one terminal UI per database. Two screens on one database
 * would each mark the same step and each show what it alone believes; the
 * second one is told where the first is and leaves. Commands (status,
 * report, sync…) do not take the lock and keep working beside the screen.
 */
#ifndef SOTAY_TUI_LOCK_H
#define SOTAY_TUI_LOCK_H

/*
 * Takes the lock beside db_path (DB.screen-lock) for as long as this
 * process runs. Returns 0, or -1 with *cause (malloc'd) saying where the
 * kiosk is already open, or why the lock could not be taken.
 */
int	 tui_lock_take(const char *db_path, char **cause);

#endif
