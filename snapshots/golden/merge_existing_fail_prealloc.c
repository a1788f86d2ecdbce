/*
 * vma merge-existing 0x3000 0x5000 rd,wr,mr,mw fail-prealloc
 *
 * Event 3 of a vmasim session (process 0). The VMAs as they were
 * before it are linked, the operation runs through mm/vma.c, and every
 * VMA is checked against what vmasim computed. For the tools/testing/vma
 * harness of Linux v6.18.
 */
static bool test_merge_existing_fail_prealloc(void)
{
	struct mm_struct mm = {};
	VMA_ITERATOR(vmi, &mm, 0);
	struct vma_merge_struct vmg = {
		.mm = &mm,
		.vmi = &vmi,
	};
	struct vm_area_struct *vma, *vma_a, *vma_b;

	/*
	 *    <>
	 * 01234
	 * AAABB
	 */
	vma_a = alloc_and_link_vma(&mm, 0, 0x3000, 0, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_a, NULL);
	vma_b = alloc_and_link_vma(&mm, 0x3000, 0x5000, 3, VM_READ | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_b, NULL);
	ASSERT_EQ(mm.map_count, 2);

	/* vma merge-existing 0x3000 0x5000 rd,wr,mr,mw fail-prealloc */
	fail_prealloc = true;
	vmg_set_range_anon_vma(&vmg, 0x3000, 0x5000, 3, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE, vma_b->anon_vma);
	vmg.file = vma_b->vm_file;
	vmg.middle = vma_b;
	vmg.prev = vma_a;
	vma = merge_existing(&vmg);
	ASSERT_EQ(vma, NULL);
	ASSERT_EQ(vmg.state, VMA_MERGE_ERROR_NOMEM);
	fail_prealloc = false;

	/*
	 * 01234
	 * AAABB
	 */
	vma_iter_set(&vmi, 0);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0);
	ASSERT_EQ(vma->vm_end, 0x3000);
	ASSERT_EQ(vma->vm_pgoff, 0);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, NULL);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x3000);
	ASSERT_EQ(vma->vm_end, 0x5000);
	ASSERT_EQ(vma->vm_pgoff, 3);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, NULL);
	ASSERT_EQ(vma_next(&vmi), NULL);
	ASSERT_EQ(mm.map_count, 2);

	ASSERT_EQ(cleanup_mm(&mm, &vmi), 2);
	return true;
}
