/*
 * vma expand 0 0x8000
 *
 * Event 4 of a vmasim session (process 0). The VMAs as they were
 * before it are linked, the operation runs through mm/vma.c, and every
 * VMA is checked against what vmasim computed. For the tools/testing/vma
 * harness of Linux v6.18.
 */
static bool test_expand_absorbs_next(void)
{
	struct mm_struct mm = {};
	VMA_ITERATOR(vmi, &mm, 0);
	struct vma_merge_struct vmg = {
		.mm = &mm,
		.vmi = &vmi,
	};
	const struct vm_operations_struct vm_ops = {
		.close = dummy_close,
	};
	struct anon_vma anon_vma_n = {};
	struct anon_vma_chain avc_b = {};
	struct vm_area_struct *vma, *vma_a, *vma_b, *vma_c;

	/*
	 * <------>
	 * 0123456789
	 * AAA  BBB C
	 */
	vma_a = alloc_and_link_vma(&mm, 0, 0x3000, 0, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_a, NULL);
	vma_b = alloc_and_link_vma(&mm, 0x5000, 0x8000, 5, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_b, NULL);
	__vma_set_dummy_anon_vma(vma_b, &avc_b, &anon_vma_n);
	vma_c = alloc_and_link_vma(&mm, 0x9000, 0xa000, 9, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_c, NULL);
	vma_c->vm_ops = &vm_ops;
	ASSERT_EQ(mm.map_count, 3);

	/* vma expand 0 0x8000 */
	vmg_set_range(&vmg, 0, 0x8000, 0, vma_a->vm_flags);
	vmg.target = vma_a;
	vmg.next = vma_b;
	ASSERT_EQ(expand_existing(&vmg), 0);

	/*
	 * 0123456789
	 * AAAAAAAA C
	 */
	vma_iter_set(&vmi, 0);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0);
	ASSERT_EQ(vma->vm_end, 0x8000);
	ASSERT_EQ(vma->vm_pgoff, 0);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, &anon_vma_n);
	ASSERT_EQ(vma->vm_file, NULL);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x9000);
	ASSERT_EQ(vma->vm_end, 0xa000);
	ASSERT_EQ(vma->vm_pgoff, 9);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, NULL);
	ASSERT_EQ(vma_next(&vmi), NULL);
	ASSERT_EQ(mm.map_count, 2);

	ASSERT_EQ(cleanup_mm(&mm, &vmi), 2);
	return true;
}
