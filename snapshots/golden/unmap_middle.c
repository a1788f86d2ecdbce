/*
 * vma unmap 0x3000 0x5000
 *
 * Event 3 of a vmasim session (process 0). The VMAs as they were
 * before it are linked, the operation runs through mm/vma.c, and every
 * VMA is checked against what vmasim computed. For the tools/testing/vma
 * harness of Linux v6.18.
 */
static bool test_unmap_middle(void)
{
	struct mm_struct mm = {};
	VMA_ITERATOR(vmi, &mm, 0);
	struct anon_vma anon_vma_a = {};
	struct anon_vma_chain avc_a = {};
	struct vm_area_struct *vma, *vma_a, *vma_b;

	/*
	 *   <>
	 * 012345
	 * AAABBB
	 *
	 * Page 0 of the ruler is 0x1000.
	 */
	vma_a = alloc_and_link_vma(&mm, 0x1000, 0x4000, 1, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_a, NULL);
	__vma_set_dummy_anon_vma(vma_a, &avc_a, &anon_vma_a);
	vma_b = alloc_and_link_vma(&mm, 0x4000, 0x7000, 4, VM_READ | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_NE(vma_b, NULL);
	ASSERT_EQ(mm.map_count, 2);

	/* vma unmap 0x3000 0x5000 */
	vma_iter_set(&vmi, 0x3000);
	ASSERT_EQ(do_vmi_munmap(&vmi, &mm, 0x3000, 0x2000, NULL, false), 0);

	/*
	 * 012345
	 * AA  BB
	 */
	vma_iter_set(&vmi, 0);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x1000);
	ASSERT_EQ(vma->vm_end, 0x3000);
	ASSERT_EQ(vma->vm_pgoff, 1);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, &anon_vma_a);
	ASSERT_EQ(vma->vm_file, NULL);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x5000);
	ASSERT_EQ(vma->vm_end, 0x7000);
	ASSERT_EQ(vma->vm_pgoff, 5);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_MAYREAD | VM_MAYWRITE);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, NULL);
	ASSERT_EQ(vma_next(&vmi), NULL);
	ASSERT_EQ(mm.map_count, 2);

	ASSERT_EQ(cleanup_mm(&mm, &vmi), 2);
	return true;
}
