// SPDX-License-Identifier: GPL-2.0
/*
 * nfcount — the networking lab's module.  Its init listens on a TCP port
 * of the guest (a kernel socket) and waits, at most `wait_secs`, for one
 * connection from the host: the lab loads it in the background.  Then it
 * hooks netfilter's IPv4 PRE_ROUTING and counts the UDP packets that come
 * in to port `udp_port`, shown in /proc/nfcount.
 */
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/udp.h>
#include <net/net_namespace.h>
#include <net/sock.h>

static int tcp_port = 6000;
module_param(tcp_port, int, 0444);
static int udp_port = 7777;
module_param(udp_port, int, 0444);
static int wait_secs = 60;
module_param(wait_secs, int, 0444);

static atomic_t udp_packets = ATOMIC_INIT(0);
static atomic_t udp_bytes = ATOMIC_INIT(0);

static unsigned int nfcount_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct udphdr _uh;
	const struct udphdr *uh;

	if (iph->protocol != IPPROTO_UDP)
		return NF_ACCEPT;
	uh = skb_header_pointer(skb, iph->ihl * 4, sizeof(_uh), &_uh);
	if (uh && ntohs(uh->dest) == udp_port) {
		atomic_inc(&udp_packets);
		atomic_add(ntohs(uh->len) - sizeof(*uh), &udp_bytes);
	}
	return NF_ACCEPT;
}

static struct nf_hook_ops nfcount_ops = {
	.hook = nfcount_hook,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_PRE_ROUTING,
	.priority = NF_IP_PRI_FIRST,
};

static int nfcount_show(struct seq_file *m, void *v)
{
	seq_printf(m, "udp_port: %d\nudp_packets: %d\nudp_bytes: %d\n",
		   udp_port, atomic_read(&udp_packets), atomic_read(&udp_bytes));
	return 0;
}

/* One connection from the host on tcp_port, or an error. */
static int await_connection(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_ANY),
				    .sin_port = htons(tcp_port) };
	struct socket *sock, *conn = NULL;
	struct sockaddr_in peer;
	int err;

	err = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP, &sock);
	if (err)
		return err;
	sock->sk->sk_rcvtimeo = wait_secs * HZ;
	err = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	if (!err)
		err = kernel_listen(sock, 1);
	if (!err) {
		pr_info("nfcount: listening on TCP port %d\n", tcp_port);
		err = kernel_accept(sock, &conn, 0);
	}
	if (!err && kernel_getpeername(conn, (struct sockaddr *)&peer) >= 0)
		pr_info("nfcount: connection from %pI4:%d\n", &peer.sin_addr,
			ntohs(peer.sin_port));
	if (conn)
		sock_release(conn);
	sock_release(sock);
	return err;
}

static int __init nfcount_init(void)
{
	int err = await_connection();

	if (err) {
		pr_err("nfcount: no connection on port %d: %d\n", tcp_port, err);
		return err;
	}
	if (!proc_create_single("nfcount", 0444, NULL, nfcount_show))
		return -ENOMEM;
	err = nf_register_net_hook(&init_net, &nfcount_ops);
	if (err) {
		remove_proc_entry("nfcount", NULL);
		return err;
	}
	pr_info("nfcount: counting UDP packets to port %d\n", udp_port);
	return 0;
}

static void __exit nfcount_exit(void)
{
	nf_unregister_net_hook(&init_net, &nfcount_ops);
	remove_proc_entry("nfcount", NULL);
	pr_info("nfcount: goodbye: %d UDP packets, %d bytes\n",
		atomic_read(&udp_packets), atomic_read(&udp_bytes));
}

module_init(nfcount_init);
module_exit(nfcount_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Counts UDP packets in a netfilter hook, after a connection");
