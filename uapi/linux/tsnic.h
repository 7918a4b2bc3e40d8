/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tsnic: user API of the virtual NIC with a simulated transmit engine.
 */
#ifndef _UAPI_LINUX_TSNIC_H
#define _UAPI_LINUX_TSNIC_H

#define TSNIC_DRV_NAME		"tsnic"

/* Queue counts a device may be created with (numtxqueues/numrxqueues). */
#define TSNIC_MAX_QUEUES	16

#endif /* _UAPI_LINUX_TSNIC_H */
