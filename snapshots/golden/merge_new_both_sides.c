/*
 * vma merge-new 0x2000 0x3000 2 rd,wr,mr,mw
 *
 * Event 4 of a vmasim session (process 0). The VMAs as they were
 * before it are linked, the operation runs through mm/vma.c, and every
 * VMA is checked against what vmasim computed. For the tools/testing/vma
 * harness of Linux v6.18.
 */
static bool test_merge_new_both_sides(void)
{
	struct mm_struct mm = {};
	VMA_ITERATOR(vmi, &mm, 0);
	struct vma_merge_struct vmg = {
		.mm = &mm,
		.vmi = &vmi,
	};
	struct anon_vma anon_vma_a = {};
	struct anon_vma_chain avc_a = {};
	struct anon_vma_chain avc_b = {};
	struct vm_area_struct *vma, *vma_a, *vma_b, *vma_c;

	/*
	 * 0123456789ab
	 * AA*B       C
	 */
	vma_a = alloc_and_link_vma(&mm, 0, 0x2000, 0, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_a, NULL);
	__vma_set_dummy_anon_vma(vma_a, &avc_a, &anon_vma_a);
	vma_b = alloc_and_link_vma(&mm, 0x3000, 0x4000, 3, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_b, NULL);
	__vma_set_dummy_anon_vma(vma_b, &avc_b, &anon_vma_a);
	vma_c = alloc_and_link_vma(&mm, 0xb000, 0xc000, 11, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_c, NULL);
	ASSERT_EQ(mm.map_count, 3);

	/* vma merge-new 0x2000 0x3000 2 rd,wr,mr,mw */
	vmg_set_range_anon_vma(&vmg, 0x2000, 0x3000, 2, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE, NULL);
	vmg.file = NULL;
	vma = merge_new(&vmg);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);
	ASSERT_EQ(vma->vm_start, 0);
	ASSERT_EQ(vma->vm_end, 0x4000);

	/*
	 * 0123456789ab
	 * AAAA       C
	 */
	vma_iter_set(&vmi, 0);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0);
	ASSERT_EQ(vma->vm_end, 0x4000);
	ASSERT_EQ(vma->vm_pgoff, 0);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, &anon_vma_a);
	ASSERT_EQ(vma->vm_file, NULL);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0xb000);
	ASSERT_EQ(vma->vm_end, 0xc000);
	ASSERT_EQ(vma->vm_pgoff, 11);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, NULL);
	ASSERT_EQ(vma_next(&vmi), NULL);
	ASSERT_EQ(mm.map_count, 2);

	ASSERT_EQ(cleanup_mm(&mm, &vmi), 2);
	return true;
}
