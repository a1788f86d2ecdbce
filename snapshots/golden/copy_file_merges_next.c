/*
 * vma copy 0x1000 0x6000 4
 *
 * Event 4 of a vmasim session (process 0). The VMAs as they were
 * before it are linked, the operation runs through mm/vma.c, and every
 * VMA is checked against what vmasim computed. For the tools/testing/vma
 * harness of Linux v6.18.
 */
static bool test_copy_file_merges_next(void)
{
	struct mm_struct mm = {};
	VMA_ITERATOR(vmi, &mm, 0);
	struct address_space mapping_data = {};
	struct file file_data = { .f_mapping = &mapping_data };
	struct vm_area_struct *vma, *vma_a, *vma_b;
	bool need_locks = false;

	/*
	 *      <>
	 * 012345678
	 * AA     BB
	 *
	 * Page 0 of the ruler is 0x1000.
	 */
	vma_a = alloc_and_link_vma(&mm, 0x1000, 0x3000, 0, VM_READ | VM_SHARED | VM_MAYREAD | VM_MAYWRITE | VM_MAYSHARE);
	ASSERT_NE(vma_a, NULL);
	vma_a->vm_file = &file_data;
	vma_b = alloc_and_link_vma(&mm, 0x8000, 0xa000, 6, VM_READ | VM_SHARED | VM_MAYREAD | VM_MAYWRITE | VM_MAYSHARE);
	ASSERT_NE(vma_b, NULL);
	vma_b->vm_file = &file_data;
	ASSERT_EQ(mm.map_count, 2);

	/* vma copy 0x1000 0x6000 4 */
	vma = copy_vma(&vma_a, 0x6000, 0x2000, 4, &need_locks);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x6000);
	ASSERT_EQ(vma->vm_end, 0xa000);

	/*
	 * 012345678
	 * AA   BBBB
	 */
	vma_iter_set(&vmi, 0);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x1000);
	ASSERT_EQ(vma->vm_end, 0x3000);
	ASSERT_EQ(vma->vm_pgoff, 0);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_SHARED | VM_MAYREAD | VM_MAYWRITE | VM_MAYSHARE);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, &file_data);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x6000);
	ASSERT_EQ(vma->vm_end, 0xa000);
	ASSERT_EQ(vma->vm_pgoff, 4);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_SHARED | VM_MAYREAD | VM_MAYWRITE | VM_MAYSHARE);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, &file_data);
	ASSERT_EQ(vma_next(&vmi), NULL);
	ASSERT_EQ(mm.map_count, 2);

	ASSERT_EQ(cleanup_mm(&mm, &vmi), 2);
	return true;
}
