/*
 * vma merge-new 0x3000 0x4000 3 rd,wr,mr,mw
 *
 * Event 5 of a vmasim session (process 1). The VMAs as they were
 * before it are linked, the operation runs through mm/vma.c, and every
 * VMA is checked against what vmasim computed. For the tools/testing/vma
 * harness of Linux v6.18.
 */
static bool test_merge_new_fork_child_prev(void)
{
	struct mm_struct mm = {};
	VMA_ITERATOR(vmi, &mm, 0);
	struct vma_merge_struct vmg = {
		.mm = &mm,
		.vmi = &vmi,
	};
	struct anon_vma anon_vma_p = {};
	struct anon_vma anon_vma_av1 = {};
	struct anon_vma_chain avc_a[2] = {};
	struct vm_area_struct *vma, *vma_a, *vma_b;

	/*
	 * 01234
	 * AA*BB
	 *
	 * Page 0 of the ruler is 0x1000.
	 */
	vma_a = alloc_and_link_vma(&mm, 0x1000, 0x3000, 1, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_a, NULL);
	/* A fork child: its own anon_vma, then those of its ancestors (anon_vma chain p > av1). */
	__vma_set_dummy_anon_vma(vma_a, &avc_a[0], &anon_vma_av1);
	avc_a[1].anon_vma = &anon_vma_p;
	list_add_tail(&avc_a[1].same_vma, &vma_a->anon_vma_chain);
	vma_b = alloc_and_link_vma(&mm, 0x4000, 0x6000, 4, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_b, NULL);
	ASSERT_EQ(mm.map_count, 2);

	/* vma merge-new 0x3000 0x4000 3 rd,wr,mr,mw */
	vmg_set_range_anon_vma(&vmg, 0x3000, 0x4000, 3, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE, NULL);
	vmg.file = NULL;
	vma = merge_new(&vmg);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);
	ASSERT_EQ(vma->vm_start, 0x3000);
	ASSERT_EQ(vma->vm_end, 0x6000);

	/*
	 * 01234
	 * AABBB
	 */
	vma_iter_set(&vmi, 0);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x1000);
	ASSERT_EQ(vma->vm_end, 0x3000);
	ASSERT_EQ(vma->vm_pgoff, 1);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, &anon_vma_av1);
	ASSERT_EQ(vma->vm_file, NULL);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x3000);
	ASSERT_EQ(vma->vm_end, 0x6000);
	ASSERT_EQ(vma->vm_pgoff, 3);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, NULL);
	ASSERT_EQ(vma_next(&vmi), NULL);
	ASSERT_EQ(mm.map_count, 2);

	ASSERT_EQ(cleanup_mm(&mm, &vmi), 2);
	return true;
}
