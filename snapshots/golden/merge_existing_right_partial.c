/*
 * vma merge-existing 0x3000 0x6000 rd,wr,mr,mw
 *
 * Event 3 of a vmasim session (process 0). The VMAs as they were
 * before it are linked, the operation runs through mm/vma.c, and every
 * VMA is checked against what vmasim computed. For the tools/testing/vma
 * harness of Linux v6.18.
 */
static bool test_merge_existing_right_partial(void)
{
	struct mm_struct mm = {};
	VMA_ITERATOR(vmi, &mm, 0);
	struct vma_merge_struct vmg = {
		.mm = &mm,
		.vmi = &vmi,
	};
	struct anon_vma anon_vma_m = {};
	struct anon_vma_chain avc_a = {};
	struct anon_vma_chain avc_b = {};
	struct vm_area_struct *vma, *vma_a, *vma_b;

	/*
	 *  <->
	 * 0123456
	 * AAAABBB
	 *
	 * Page 0 of the ruler is 0x2000.
	 */
	vma_a = alloc_and_link_vma(&mm, 0x2000, 0x6000, 2, VM_READ | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_a, NULL);
	__vma_set_dummy_anon_vma(vma_a, &avc_a, &anon_vma_m);
	vma_b = alloc_and_link_vma(&mm, 0x6000, 0x9000, 6, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_b, NULL);
	__vma_set_dummy_anon_vma(vma_b, &avc_b, &anon_vma_m);
	ASSERT_EQ(mm.map_count, 2);

	/* vma merge-existing 0x3000 0x6000 rd,wr,mr,mw */
	vmg_set_range_anon_vma(&vmg, 0x3000, 0x6000, 3, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE, vma_a->anon_vma);
	vmg.file = vma_a->vm_file;
	vmg.middle = vma_a;
	vmg.prev = vma_a;
	vma = merge_existing(&vmg);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);
	ASSERT_EQ(vma->vm_start, 0x3000);
	ASSERT_EQ(vma->vm_end, 0x9000);

	/*
	 * 0123456
	 * ABBBBBB
	 */
	vma_iter_set(&vmi, 0);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x2000);
	ASSERT_EQ(vma->vm_end, 0x3000);
	ASSERT_EQ(vma->vm_pgoff, 2);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, &anon_vma_m);
	ASSERT_EQ(vma->vm_file, NULL);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x3000);
	ASSERT_EQ(vma->vm_end, 0x9000);
	ASSERT_EQ(vma->vm_pgoff, 3);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, &anon_vma_m);
	ASSERT_EQ(vma->vm_file, NULL);
	ASSERT_EQ(vma_next(&vmi), NULL);
	ASSERT_EQ(mm.map_count, 2);

	ASSERT_EQ(cleanup_mm(&mm, &vmi), 2);
	return true;
}
