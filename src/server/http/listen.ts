/**
 * Connections the kernel may hold before the server accepts them. Node's default (511) overflows
 * when a thousand pages reconnect at once after a restart; the kernel caps it at
 * `net.core.somaxconn` (4096 on current Linux).
 */
export const LISTEN_BACKLOG = 4096;
