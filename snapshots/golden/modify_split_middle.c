/*
 * vma modify 0x2000 0x3000 rd,mr,mw,me,ac
 *
 * Event 2 of a vmasim session (process 0). The VMAs as they were
 * before it are linked, the operation runs through mm/vma.c, and every
 * VMA is checked against what vmasim computed. For the tools/testing/vma
 * harness of Linux v6.18.
 */
static bool test_modify_split_middle(void)
{
	struct mm_struct mm = {};
	VMA_ITERATOR(vmi, &mm, 0);
	struct vm_area_struct *vma, *vma_a;

	/*
	 *  *
	 * 012
	 * AAA
	 *
	 * Page 0 of the ruler is 0x1000.
	 */
	vma_a = alloc_and_link_vma(&mm, 0x1000, 0x4000, 1, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT);
	ASSERT_NE(vma_a, NULL);
	ASSERT_EQ(mm.map_count, 1);

	/* vma modify 0x2000 0x3000 rd,mr,mw,me,ac */
	vma_iter_set(&vmi, 0x2000);
	vma = vma_modify_flags(&vmi, vma_a, vma_a, 0x2000, 0x3000, VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT);
	ASSERT_FALSE(IS_ERR(vma));
	ASSERT_EQ(vma->vm_start, 0x2000);
	ASSERT_EQ(vma->vm_end, 0x3000);
	/* The caller sets the new flags on the VMA it is given, as mprotect_fixup() does. */
	vm_flags_reset(vma, VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT);

	/*
	 * 012
	 * ABC
	 */
	vma_iter_set(&vmi, 0);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x1000);
	ASSERT_EQ(vma->vm_end, 0x2000);
	ASSERT_EQ(vma->vm_pgoff, 1);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, NULL);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x2000);
	ASSERT_EQ(vma->vm_end, 0x3000);
	ASSERT_EQ(vma->vm_pgoff, 2);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, NULL);
	vma = vma_next(&vmi);
	ASSERT_NE(vma, NULL);
	ASSERT_EQ(vma->vm_start, 0x3000);
	ASSERT_EQ(vma->vm_end, 0x4000);
	ASSERT_EQ(vma->vm_pgoff, 3);
	ASSERT_EQ(vma->vm_flags, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT);
	ASSERT_EQ(vma->anon_vma, NULL);
	ASSERT_EQ(vma->vm_file, NULL);
	ASSERT_EQ(vma_next(&vmi), NULL);
	ASSERT_EQ(mm.map_count, 3);

	ASSERT_EQ(cleanup_mm(&mm, &vmi), 3);
	return true;
}
