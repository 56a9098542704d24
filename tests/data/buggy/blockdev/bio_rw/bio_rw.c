// SPDX-License-Identifier: GPL-2.0
/*
 * bio_rw — the block device lab's module (after SO2's "block device
 * drivers", exercise on a real disk): at load, reads sector 1 of the disk
 * `dev` with a bio and prints what it holds, then writes the pattern
 * "labkit-bio <seq>" (one sector) to sector 0 with a bio and flushes it,
 * so that the host finds it in the disk's image.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/mm.h>

static char *dev = "/dev/vda";
module_param(dev, charp, 0444);
static int seq = 1;
module_param(seq, int, 0444);

/* One sector of `page` to or from sector `sector`, waited for. */
static int sector_io(struct block_device *bdev, struct page *page,
		     sector_t sector, blk_opf_t op)
{
	struct bio *bio = bio_alloc(bdev, 1, op, GFP_KERNEL);
	int err;

	bio->bi_iter.bi_sector = sector;
	bio_add_page(bio, page, 512, 0);
	err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

static int __init bio_rw_init(void)
{
	struct block_device *bdev;
	struct page *page;
	char *buf;
	int err;

	bdev = blkdev_get_by_path(dev, FMODE_READ | FMODE_WRITE | FMODE_EXCL,
				  THIS_MODULE);
	if (IS_ERR(bdev)) {
		pr_err("bio_rw: cannot open %s: %ld\n", dev, PTR_ERR(bdev));
		return PTR_ERR(bdev);
	}
	page = alloc_page(GFP_KERNEL);
	err = page ? 0 : -ENOMEM;
	if (!err)
		err = sector_io(bdev, page, 1, REQ_OP_READ);
	if (!err) {
		buf = page_address(page);
		pr_info("bio_rw: sector 1 of %s holds '%.32s'\n", dev, buf);
		memset(buf, 0, 512);
		snprintf(buf, 512, "labkit-bio %d", seq);
		err = sector_io(bdev, page, 0, REQ_OP_READ);  /* the bug: reads, writes nothing */
	}
	if (!err)
		pr_info("bio_rw: wrote 'labkit-bio %d' to sector 0 of %s\n", seq, dev);
	if (page)
		__free_page(page);
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
	return err;
}

static void __exit bio_rw_exit(void)
{
	pr_info("bio_rw: goodbye\n");
}

module_init(bio_rw_init);
module_exit(bio_rw_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Reads and writes a disk's sectors with bios");
