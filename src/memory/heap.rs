//! The per-interpreter heap.
//!
//! Blocks of up to `MAX_CLASSED` bytes come from pages dedicated to one size class;
//! larger blocks get spans of their own. Every page starts with a `PageHeader` and is
//! 4 KiB aligned, and every block starts in a page that begins with its header, so
//! the owner of any block is found by masking its address.
//! When the heap is destroyed every page it still holds goes back, whatever leaked.
//!
//! A heap is only touched by the thread holding its interpreter's GIL, with one
//! exception: a block freed from another interpreter is pushed on `remote_frees`
//! (a lock-free stack) and released by the owner later.
//!
//! Free pages go to the heap's own cache first and to the process-wide cache (behind
//! a lock) only when the local one is full, so two interpreters allocating and freeing
//! do not meet on a lock.

use super::memcheck;
use core::ptr::{self, null_mut};
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use parking_lot::Mutex;

pub(crate) const PAGE_SIZE: usize = 4096;
const HEADER_SIZE: usize = 80;
const ALIGN: usize = 16;
/// Where the 16-byte classes end.
pub(crate) const MAX_SMALL: usize = 512;
const NUM_SMALL: usize = MAX_SMALL / ALIGN;
const USABLE: usize = PAGE_SIZE - HEADER_SIZE;

/// The classes above `MAX_SMALL`, as (block size, pages per span).
///
/// Why these sizes and not bigger pages: the foreign-object check
/// (`claimed_owner`, `heap_holding`) reads the header of the 4 KiB page an arbitrary
/// pointer lies in, which is safe only because that read stays in the pointer's own
/// OS page; masking to a bigger span could read unmapped memory. So every block must
/// start in a page that begins with a header, and a block never covers the start of a
/// page in which another block starts. Within that rule waste stays low by choosing,
/// for k = 7..1 blocks per page, the largest 16-byte multiple that fits k times in
/// the page after its header (tail waste under 2% of a page, rounding waste at most
/// the step to the next class) instead of powers of two, which would leave nearly
/// half of each page empty (two 2 KiB blocks do not fit beside a header). Blocks over
/// one page take a span of 2 or 3 pages of their own, kept in their class like pages.
const MEDIUM: [(usize, usize); 9] = [
    (USABLE / 7 / ALIGN * ALIGN, 1),  // 560
    (USABLE / 6 / ALIGN * ALIGN, 1),  // 656
    (USABLE / 5 / ALIGN * ALIGN, 1),  // 800
    (USABLE / 4 / ALIGN * ALIGN, 1),  // 992
    (USABLE / 3 / ALIGN * ALIGN, 1),  // 1328
    (USABLE / 2 / ALIGN * ALIGN, 1),  // 2000
    (USABLE, 1),                      // 4016
    (2 * PAGE_SIZE - HEADER_SIZE, 2), // 8112
    (3 * PAGE_SIZE - HEADER_SIZE, 3), // 12208
];
/// The largest block served from a size class; larger ones get a span each.
pub(crate) const MAX_CLASSED: usize = MEDIUM[MEDIUM.len() - 1].0;
const NUM_CLASSES: usize = NUM_SMALL + MEDIUM.len();
const LARGE: u16 = u16::MAX;
const MAGIC: u32 = 0x1515_1e00;

/// The class of every size up to `MAX_CLASSED`, indexed by the size in 16-byte steps.
static CLASS_BY_STEP: [u8; MAX_CLASSED / ALIGN + 1] = class_table();

const fn class_table() -> [u8; MAX_CLASSED / ALIGN + 1] {
    let mut t = [0u8; MAX_CLASSED / ALIGN + 1];
    let mut step = 0;
    while step < t.len() {
        let size = step * ALIGN;
        t[step] = if size <= MAX_SMALL {
            if size == 0 {
                0
            } else {
                (size / ALIGN - 1) as u8
            }
        } else {
            let mut c = 0;
            while MEDIUM[c].0 < size {
                c += 1;
            }
            (NUM_SMALL + c) as u8
        };
        step += 1;
    }
    t
}

/// The size class of a request of at most `MAX_CLASSED` bytes.
#[inline(always)]
fn class_of(size: usize) -> usize {
    CLASS_BY_STEP[size.div_ceil(ALIGN)] as usize
}

/// (block size, span bytes) of a class.
fn class_layout(class: usize) -> (usize, usize) {
    if class < NUM_SMALL {
        ((class + 1) * ALIGN, PAGE_SIZE)
    } else {
        let (size, pages) = MEDIUM[class - NUM_SMALL];
        (size, pages * PAGE_SIZE)
    }
}

/// Free pages (one-page spans) a heap keeps for itself before handing them on.
const LOCAL_PAGES: usize = 64;
/// Bytes of free multi-page spans a heap keeps for itself.
const LOCAL_SPAN_BYTES: usize = 1 << 20;
/// At most 16 MiB of multi-page spans are cached process-wide.
const SPAN_CACHE_BYTES: usize = 16 << 20;

#[repr(C)]
struct FreeBlock {
    next: *mut FreeBlock,
}

#[repr(C)]
struct PageHeader {
    magic: u32,
    class: u16,
    in_avail: bool,
    block_size: u32,
    used: u32,
    owner: *mut Heap,
    /// Offset of the next never-used block, and where carving stops: the class's
    /// span, which may be less than `span` when a bigger cached span was reused (a
    /// block must not start in a page without a header).
    bump: u32,
    limit: u32,
    free: *mut FreeBlock,
    /// Bytes in this page's allocation (PAGE_SIZE for one-page classes).
    span: usize,
    all_prev: *mut PageHeader,
    all_next: *mut PageHeader,
    /// The class's list of pages with room; for a free page, the heap's cache list.
    avail_prev: *mut PageHeader,
    avail_next: *mut PageHeader,
}

const _: () = assert!(core::mem::size_of::<PageHeader>() <= HEADER_SIZE);
const _: () = assert!(MAX_CLASSED >= 8192);

/// Counters a heap keeps so that leaks can be reported per interpreter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeapStats {
    pub live_blocks: usize,
    pub live_bytes: usize,
    pub pages: usize,
}

/// Free spans a heap keeps for itself, linked through their headers' `avail_next`.
struct LocalCache {
    pages: *mut PageHeader,
    page_count: usize,
    spans: *mut PageHeader,
    span_bytes: usize,
}

/// Bytes of padding that keep a heap's fields off the cache lines (and the adjacent
/// line a prefetcher pulls in with each) of whatever lies beside it in memory.
const LINE_PAD: usize = 128;

/// Padded at both ends: each heap is written by its own interpreter's thread only, so
/// it must share no cache line with another's data. Padding rather than alignment, so
/// that the interpreter state holding it is allocated by a plain `malloc` (glibc's
/// `posix_memalign` cost a fifth of an interpreter's creation).
#[repr(C)]
pub struct Heap {
    _front: [u8; LINE_PAD],
    avail: [*mut PageHeader; NUM_CLASSES],
    all: *mut PageHeader,
    local: LocalCache,
    remote_frees: AtomicPtr<FreeBlock>,
    /// The thread allowed to touch this heap now (the holder of its GIL), as its
    /// thread pointer; 0 when none. Lets `free` tell local from remote blocks
    /// without reading a thread-local.
    holder: AtomicUsize,
    /// Whether this heap has announced itself to valgrind as a memory pool.
    pool_announced: bool,
    _back: [u8; LINE_PAD],
}

// SAFETY: a heap is used by one thread at a time (its interpreter's GIL holder); the
// only shared entry, `remote_frees`, is atomic.
unsafe impl Send for Heap {}
unsafe impl Sync for Heap {}

fn page_of(block: *mut u8) -> *mut PageHeader {
    (block as usize & !(PAGE_SIZE - 1)) as *mut PageHeader
}

/// Freed memory kept for the next interpreter instead of going back to the C library:
/// fresh memory costs page faults, and faults in two threads of one process contend
/// in the kernel, which would cost interpreters their parallelism.
struct SpanCache {
    /// Free single pages.
    pages: Vec<usize>,
    /// Free multi-page spans as (address, bytes).
    spans: Vec<(usize, usize)>,
    span_bytes: usize,
    /// The blocks single pages are cut from, `PAGES_PER_CHUNK` pages each.
    chunks: Vec<usize>,
}
static CACHE: Mutex<SpanCache> =
    Mutex::new(SpanCache { pages: Vec::new(), spans: Vec::new(), span_bytes: 0, chunks: Vec::new() });

/// Single pages are cut from chunks of this many: the C library puts a header before
/// every aligned block, so a page asked for alone costs two pages of address space
/// and usually of resident memory.
const PAGES_PER_CHUNK: usize = 16;

/// A page-aligned block of at least `span` bytes from the process-wide cache or the C
/// library; returns it with its real size.
unsafe fn global_span(span: usize) -> (*mut PageHeader, usize) {
    let mut cache = CACHE.lock();
    if span == PAGE_SIZE {
        if cache.pages.is_empty() {
            let chunk = unsafe { libc_span(PAGES_PER_CHUNK * PAGE_SIZE) };
            if chunk.is_null() {
                return (null_mut(), 0);
            }
            cache.chunks.push(chunk as usize);
            // Handed out from the low end first.
            cache.pages.extend((0..PAGES_PER_CHUNK).rev().map(|i| chunk as usize + i * PAGE_SIZE));
        }
        let p = cache.pages.pop().expect("refilled above");
        return (p as *mut PageHeader, PAGE_SIZE);
    }
    if let Some(i) = cache.spans.iter().position(|&(_, n)| n >= span && n <= span * 2) {
        let (p, n) = cache.spans.swap_remove(i);
        cache.span_bytes -= n;
        return (p as *mut PageHeader, n);
    }
    drop(cache);
    let p = unsafe { libc_span(span) };
    (p, if p.is_null() { 0 } else { span })
}

unsafe fn libc_span(bytes: usize) -> *mut PageHeader {
    let mut out: *mut libc::c_void = null_mut();
    // SAFETY: plain C allocation with a power-of-two alignment.
    if unsafe { libc::posix_memalign(&mut out, PAGE_SIZE, bytes) } != 0 {
        return null_mut();
    }
    out as *mut PageHeader
}

/// Hands free spans to the process-wide cache, or to the C library when it is full.
/// Single pages always stay cached: they are parts of chunks, which go back whole at
/// finalization. One lock for the whole batch.
unsafe fn release_global(spans: impl IntoIterator<Item = (*mut PageHeader, usize)>) {
    let mut to_libc = Vec::new();
    {
        let mut cache = CACHE.lock();
        for (page, span) in spans {
            if span == PAGE_SIZE {
                cache.pages.push(page as usize);
            } else if cache.span_bytes + span <= SPAN_CACHE_BYTES {
                cache.spans.push((page as usize, span));
                cache.span_bytes += span;
            } else {
                to_libc.push(page);
            }
        }
    }
    for page in to_libc {
        // SAFETY: multi-page spans come from posix_memalign in `libc_span`.
        unsafe { libc::free(page as *mut libc::c_void) }
    }
}

/// Returns every cached span, and every chunk whose pages are all cached, to the C
/// library (at finalization). A chunk with a page still in use (an interpreter left
/// running by another thread keeps its memory) stays.
pub fn trim_page_cache() {
    let mut cache = CACHE.lock();
    cache.span_bytes = 0;
    let spans = core::mem::take(&mut cache.spans);
    let mut free_pages = core::mem::take(&mut cache.pages);
    free_pages.sort_unstable();
    let (mut whole, mut kept_chunks) = (Vec::new(), Vec::new());
    for chunk in core::mem::take(&mut cache.chunks) {
        let all_free = (0..PAGES_PER_CHUNK).all(|i| free_pages.binary_search(&(chunk + i * PAGE_SIZE)).is_ok());
        if all_free {
            whole.push(chunk)
        } else {
            kept_chunks.push(chunk)
        }
    }
    whole.sort_unstable();
    cache.pages = free_pages.into_iter().filter(|&p| !is_in_chunk(&whole, p)).collect();
    cache.chunks = kept_chunks;
    drop(cache);
    for p in whole.into_iter().chain(spans.into_iter().map(|(p, _)| p)) {
        // SAFETY: chunks and cached spans are posix_memalign blocks nobody uses.
        unsafe { libc::free(p as *mut libc::c_void) }
    }
}

/// Whether page `p` lies in one of `chunks` (sorted start addresses).
fn is_in_chunk(chunks: &[usize], p: usize) -> bool {
    let i = chunks.partition_point(|&c| c <= p);
    i > 0 && p < chunks[i - 1] + PAGES_PER_CHUNK * PAGE_SIZE
}

impl Default for Heap {
    fn default() -> Self {
        Self::new()
    }
}

impl Heap {
    pub const fn new() -> Self {
        Heap {
            _front: [0; LINE_PAD],
            avail: [null_mut(); NUM_CLASSES],
            all: null_mut(),
            local: LocalCache { pages: null_mut(), page_count: 0, spans: null_mut(), span_bytes: 0 },
            remote_frees: AtomicPtr::new(null_mut()),
            holder: AtomicUsize::new(0),
            pool_announced: false,
            _back: [0; LINE_PAD],
        }
    }

    /// Counted from the pages on request, so that allocation keeps no counters.
    /// `pages` counts the pages and spans holding blocks, not the cached free ones.
    pub fn stats(&self) -> HeapStats {
        let mut s = HeapStats::default();
        let mut page = self.all;
        while !page.is_null() {
            // SAFETY: walking this heap's own page list.
            let p = unsafe { &*page };
            s.pages += 1;
            if p.class == LARGE {
                s.live_blocks += 1;
                s.live_bytes += p.span - HEADER_SIZE;
            } else {
                s.live_blocks += p.used as usize;
                s.live_bytes += p.used as usize * p.block_size as usize;
            }
            page = p.all_next;
        }
        s
    }

    /// Records that the calling thread now holds this heap's GIL.
    pub fn enter(&self) {
        self.holder.store(thread_pointer(), Ordering::Relaxed);
    }

    /// Records that the calling thread is about to release this heap's GIL.
    pub fn leave(&self) {
        self.holder.store(0, Ordering::Relaxed);
    }

    /// Allocates `size` bytes, 16-byte aligned. Null when the system is out of memory.
    ///
    /// # Safety
    /// `self` must be the heap of the interpreter whose GIL the caller holds, and must
    /// not move while it owns pages (pages point back at it).
    #[inline(always)]
    pub unsafe fn alloc(&mut self, size: usize) -> *mut u8 {
        if size <= MAX_CLASSED && !memcheck::active() {
            let page = self.avail[class_of(size)];
            if !page.is_null() {
                // SAFETY: pages on the avail list belong to this heap and are live.
                let p = unsafe { &mut *page };
                let block = unsafe { Self::take_block(p) };
                if !block.is_null() {
                    p.used += 1;
                    return block;
                }
            }
        }
        unsafe { self.alloc_slow(size) }
    }

    /// A free or never-used block of `p`, or null when the page is full. Under
    /// memcheck the caller first opens the free block's link word.
    #[inline(always)]
    unsafe fn take_block(p: &mut PageHeader) -> *mut u8 {
        if !p.free.is_null() {
            let b = p.free;
            p.free = unsafe { (*b).next };
            return b as *mut u8;
        }
        if p.bump + p.block_size <= p.limit {
            let b = (p as *mut PageHeader as usize + p.bump as usize) as *mut u8;
            p.bump += p.block_size;
            return b;
        }
        null_mut()
    }

    /// Everything `alloc` does not do inline: large blocks, full pages, new pages.
    #[cold]
    #[inline(never)]
    unsafe fn alloc_slow(&mut self, size: usize) -> *mut u8 {
        if size > MAX_CLASSED {
            return unsafe { self.alloc_large(size) };
        }
        let class = class_of(size);
        loop {
            let page = self.avail[class];
            if page.is_null() {
                if unsafe { self.add_class_page(class) } {
                    continue;
                }
                return null_mut();
            }
            // SAFETY: pages on the avail list belong to this heap and are live.
            let p = unsafe { &mut *page };
            if memcheck::active() && !p.free.is_null() {
                memcheck::defined(p.free as *mut u8, core::mem::size_of::<FreeBlock>());
            }
            let block = unsafe { Self::take_block(p) };
            if block.is_null() {
                // Full: off the avail list until a block of it is freed.
                self.unlink_avail(page);
                continue;
            }
            p.used += 1;
            memcheck::block_allocated(self, block, p.block_size as usize);
            return block;
        }
    }

    unsafe fn add_class_page(&mut self, class: usize) -> bool {
        self.drain_remote_frees();
        if !self.avail[class].is_null() {
            return true;
        }
        let (block_size, class_span) = class_layout(class);
        let (page, span) = unsafe { self.take_span(class_span) };
        if page.is_null() {
            return false;
        }
        unsafe {
            self.init_page(page, class as u16, block_size as u32, span);
            (*page).limit = class_span as u32;
            memcheck::no_access((page as *mut u8).add(HEADER_SIZE), span - HEADER_SIZE);
        }
        self.push_avail(page);
        true
    }

    /// A free span of at least `span` bytes: from this heap's cache, else the
    /// process-wide one, else the C library. Returns it with its real size.
    unsafe fn take_span(&mut self, span: usize) -> (*mut PageHeader, usize) {
        let local = &mut self.local;
        if span == PAGE_SIZE {
            if !local.pages.is_null() {
                let p = local.pages;
                // SAFETY: cached pages are ours, their headers intact.
                local.pages = unsafe { (*p).avail_next };
                local.page_count -= 1;
                return (p, PAGE_SIZE);
            }
        } else {
            let mut link: *mut *mut PageHeader = &mut local.spans;
            // SAFETY: walking this heap's own cache list.
            unsafe {
                while !(*link).is_null() {
                    let p = *link;
                    let n = (*p).span;
                    if n >= span && n <= span * 2 {
                        *link = (*p).avail_next;
                        local.span_bytes -= n;
                        return (p, n);
                    }
                    link = &mut (*p).avail_next;
                }
            }
        }
        unsafe { global_span(span) }
    }

    /// Keeps a span that holds no block in this heap's cache, or hands it on when the
    /// cache is full.
    unsafe fn give_span(&mut self, page: *mut PageHeader, span: usize) {
        let local = &mut self.local;
        // SAFETY: `page` is ours and holds no block; its header is reused as a link.
        unsafe {
            (*page).owner = null_mut();
            if span == PAGE_SIZE && local.page_count < LOCAL_PAGES {
                (*page).avail_next = local.pages;
                local.pages = page;
                local.page_count += 1;
            } else if span != PAGE_SIZE && local.span_bytes + span <= LOCAL_SPAN_BYTES {
                (*page).span = span;
                (*page).avail_next = local.spans;
                local.spans = page;
                local.span_bytes += span;
            } else {
                release_global([(page, span)]);
            }
        }
    }

    unsafe fn init_page(&mut self, page: *mut PageHeader, class: u16, block_size: u32, span: usize) {
        // SAFETY: `page` is a free span of at least HEADER_SIZE bytes.
        unsafe {
            ptr::write(
                page,
                PageHeader {
                    magic: MAGIC,
                    class,
                    in_avail: false,
                    block_size,
                    used: 0,
                    owner: self,
                    bump: HEADER_SIZE as u32,
                    limit: 0,
                    free: null_mut(),
                    span,
                    all_prev: null_mut(),
                    all_next: self.all,
                    avail_prev: null_mut(),
                    avail_next: null_mut(),
                },
            );
            if !self.all.is_null() {
                (*self.all).all_prev = page;
            }
        }
        self.all = page;
        if !self.pool_announced {
            self.pool_announced = true;
            memcheck::pool_create(self);
        }
    }

    unsafe fn alloc_large(&mut self, size: usize) -> *mut u8 {
        let Some(span) = size.checked_add(HEADER_SIZE).and_then(|n| n.checked_next_multiple_of(PAGE_SIZE)) else {
            return null_mut();
        };
        let (page, span) = unsafe { self.take_span(span) };
        if page.is_null() {
            return null_mut();
        }
        unsafe {
            self.init_page(page, LARGE, 0, span);
            (*page).used = 1;
        }
        let block = (page as usize + HEADER_SIZE) as *mut u8;
        memcheck::block_allocated(self, block, span - HEADER_SIZE);
        block
    }

    fn unlink(&mut self, page: *mut PageHeader) {
        // SAFETY: `page` is on this heap's all-pages list.
        unsafe {
            let p = &mut *page;
            if p.all_prev.is_null() {
                self.all = p.all_next;
            } else {
                (*p.all_prev).all_next = p.all_next;
            }
            if !p.all_next.is_null() {
                (*p.all_next).all_prev = p.all_prev;
            }
        }
    }

    fn push_avail(&mut self, page: *mut PageHeader) {
        // SAFETY: `page` is a live page of this heap, not on its class's avail list.
        unsafe {
            let p = &mut *page;
            let head = &mut self.avail[p.class as usize];
            p.in_avail = true;
            p.avail_prev = null_mut();
            p.avail_next = *head;
            if !head.is_null() {
                (**head).avail_prev = page;
            }
            *head = page;
        }
    }

    fn unlink_avail(&mut self, page: *mut PageHeader) {
        // SAFETY: `page` is on its class's avail list of this heap.
        unsafe {
            let p = &mut *page;
            if p.avail_prev.is_null() {
                self.avail[p.class as usize] = p.avail_next;
            } else {
                (*p.avail_prev).avail_next = p.avail_next;
            }
            if !p.avail_next.is_null() {
                (*p.avail_next).avail_prev = p.avail_prev;
            }
            p.in_avail = false;
            p.avail_prev = null_mut();
            p.avail_next = null_mut();
        }
    }

    /// Frees a block of this heap.
    #[inline(always)]
    pub(crate) unsafe fn free_local(&mut self, block: *mut u8) {
        let page = page_of(block);
        // SAFETY: the caller checked the block belongs to this heap.
        let p = unsafe { &mut *page };
        let memcheck_on = memcheck::active();
        if memcheck_on {
            memcheck::block_freed(self, block);
        }
        if p.class == LARGE {
            unsafe { self.free_span(page) };
            return;
        }
        let b = block as *mut FreeBlock;
        if memcheck_on {
            // The link word is the heap's own: open it just long enough to write it.
            memcheck::defined(block, core::mem::size_of::<FreeBlock>());
            unsafe { (*b).next = p.free };
            memcheck::no_access(block, core::mem::size_of::<FreeBlock>());
        } else {
            unsafe { (*b).next = p.free };
        }
        p.free = b;
        p.used -= 1;
        if !p.in_avail {
            let head = self.avail[p.class as usize];
            self.push_avail(page);
            // The page it displaces as the next to allocate from may be empty.
            // SAFETY: pages on the avail list are live pages of this heap.
            if !head.is_null() && unsafe { (*head).used } == 0 {
                unsafe { self.retire_page(head) };
            }
        } else if p.used == 0 && self.avail[p.class as usize] != page {
            // Empty and not the page its class allocates from next: the span can
            // serve another class (the head stays, so that one block allocated and
            // freed in a loop does not move a page each time).
            unsafe { self.retire_page(page) };
        }
    }

    #[cold]
    unsafe fn retire_page(&mut self, page: *mut PageHeader) {
        self.unlink_avail(page);
        unsafe { self.free_span(page) };
    }

    #[cold]
    unsafe fn free_span(&mut self, page: *mut PageHeader) {
        self.unlink(page);
        // SAFETY: `page` holds no live block now.
        unsafe {
            let span = (*page).span;
            memcheck::no_access((page as *mut u8).add(HEADER_SIZE), span - HEADER_SIZE);
            self.give_span(page, span);
        }
    }

    fn drain_remote_frees(&mut self) {
        let mut b = self.remote_frees.swap(null_mut(), Ordering::Acquire);
        while !b.is_null() {
            // SAFETY: blocks on the remote stack are live blocks of this heap.
            unsafe {
                let next = (*b).next;
                self.free_local(b as *mut u8);
                b = next;
            }
        }
    }

    /// Releases every page, live blocks included, and returns what was still live.
    /// Cached free pages go to the process-wide cache with them.
    pub fn destroy(&mut self) -> HeapStats {
        self.drain_remote_frees();
        let leaked = self.stats();
        if self.pool_announced {
            memcheck::pool_destroy(self);
        }
        let mut spans = Vec::new();
        // SAFETY: walking this heap's own lists; each span is on exactly one of them
        // and is released once.
        unsafe {
            let mut page = self.all;
            while !page.is_null() {
                let next = (*page).all_next;
                (*page).magic = 0;
                spans.push((page, (*page).span));
                page = next;
            }
            for mut page in [self.local.pages, self.local.spans] {
                while !page.is_null() {
                    let next = (*page).avail_next;
                    (*page).magic = 0;
                    spans.push((page, (*page).span));
                    page = next;
                }
            }
            release_global(spans);
        }
        *self = Heap::new();
        leaked
    }
}

/// What the page header under `p` names as its heap, without checking that the page
/// is one of ours (callers compare it with a known heap, or use `heap_holding`).
///
/// # Safety
/// `p` points into a live allocation; the 4 KiB page it lies in is mapped.
#[inline]
pub unsafe fn claimed_owner(p: *const u8) -> *mut Heap {
    unsafe { (*page_of(p as *mut u8)).owner }
}

/// The heap an object lives in, or None when it is not in any heap (a static object,
/// or memory the C library gave an extension).
///
/// # Safety
/// `p` points into a live allocation; the 4 KiB page it lies in is mapped.
pub unsafe fn heap_holding(p: *const u8) -> Option<*mut Heap> {
    // The page start lies in the same OS page as `p`, so reading it is safe whatever
    // the memory is; only our pages carry the magic number.
    let page = page_of(p as *mut u8);
    let header = unsafe { &*page };
    if header.magic == MAGIC && !header.owner.is_null() {
        Some(header.owner)
    } else {
        None
    }
}

/// The heap a block came from, or None if `block` is not one of ours.
///
/// # Safety
/// `block` must be a pointer returned by `Heap::alloc` and not yet freed.
pub unsafe fn owner_of(block: *const u8) -> *mut Heap {
    let page = page_of(block as *mut u8);
    unsafe { (*page).owner }
}

/// Frees a block wherever it came from. `current` is the caller's heap, if any.
///
/// # Safety
/// `block` came from `Heap::alloc` and is freed once.
pub unsafe fn free(block: *mut u8, current: *mut Heap) {
    let page = page_of(block);
    let owner = unsafe { (*page).owner };
    debug_assert_eq!(unsafe { (*page).magic }, MAGIC);
    if owner == current {
        unsafe { (*owner).free_local(block) };
    } else {
        // Another interpreter's block: hand it back without touching its pages.
        let b = block as *mut FreeBlock;
        let stack = unsafe { &(*owner).remote_frees };
        let mut head = stack.load(Ordering::Relaxed);
        loop {
            unsafe { (*b).next = head };
            match stack.compare_exchange_weak(head, b, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => break,
                Err(h) => head = h,
            }
        }
    }
}

/// Whether the calling thread holds `heap` (its interpreter's GIL).
///
/// # Safety
/// `heap` is a live heap.
#[inline]
pub unsafe fn held_by_this_thread(heap: *mut Heap) -> bool {
    let holder = unsafe { (*heap).holder.load(Ordering::Relaxed) };
    holder == thread_pointer()
}

/// A number unique to the calling OS thread, read from the thread-pointer register
/// (no call, unlike a thread-local in a shared library).
#[inline]
fn thread_pointer() -> usize {
    let tp: usize;
    #[cfg(target_arch = "x86_64")]
    // SAFETY: reads the TCB self-pointer at %fs:0, which glibc and musl keep.
    unsafe {
        core::arch::asm!("mov {}, fs:0", out(reg) tp, options(nostack, readonly, preserves_flags))
    };
    #[cfg(target_arch = "aarch64")]
    // SAFETY: reads the thread-pointer register.
    unsafe {
        core::arch::asm!("mrs {}, tpidr_el0", out(reg) tp, options(nostack, nomem, preserves_flags))
    };
    tp
}

/// The usable size of a live block.
///
/// # Safety
/// `block` came from `Heap::alloc` and is live.
pub unsafe fn usable_size(block: *const u8) -> usize {
    let p = unsafe { &*page_of(block as *mut u8) };
    if p.class == LARGE {
        p.span - HEADER_SIZE
    } else {
        p.block_size as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_and_distinct() {
        let mut h = Box::new(Heap::new());
        let hp: *mut Heap = &mut *h;
        let mut v = Vec::new();
        for size in [0usize, 1, 16, 17, 100, 512, 513, 5000, 100_000] {
            let b = unsafe { h.alloc(size) };
            assert!(!b.is_null());
            assert_eq!(b as usize % 16, 0);
            assert!(unsafe { usable_size(b) } >= size);
            assert_eq!(unsafe { owner_of(b) }, hp);
            unsafe { ptr::write_bytes(b, 0xab, size) };
            v.push(b);
        }
        assert_eq!(h.stats().live_blocks, 9);
        for b in v {
            unsafe { free(b, hp) };
        }
        assert_eq!(h.stats().live_blocks, 0);
        assert_eq!(h.stats().live_bytes, 0);
        h.destroy();
    }

    #[test]
    fn freed_blocks_are_reused() {
        let mut h = Box::new(Heap::new());
        let hp: *mut Heap = &mut *h;
        let a = unsafe { h.alloc(32) };
        unsafe { free(a, hp) };
        let b = unsafe { h.alloc(32) };
        assert_eq!(a, b);
        h.destroy();
    }

    #[test]
    fn destroy_returns_leaked_blocks() {
        let mut h = Box::new(Heap::new());
        for i in 0..10_000 {
            assert!(!unsafe { h.alloc(i % 700) }.is_null());
        }
        let leaked = h.destroy();
        assert_eq!(leaked.live_blocks, 10_000);
        assert_eq!(h.stats(), HeapStats::default());
    }

    #[test]
    fn remote_free_goes_back_to_owner() {
        let mut a = Box::new(Heap::new());
        let mut b = Box::new(Heap::new());
        let bp: *mut Heap = &mut *b;
        let blk = unsafe { a.alloc(48) };
        unsafe { free(blk, bp) };
        assert_eq!(a.stats().live_blocks, 1);
        assert_eq!(b.stats().live_blocks, 0);
        assert_eq!(a.destroy().live_blocks, 0);
        b.destroy();
    }

    #[test]
    fn every_block_starts_in_a_page_with_its_header() {
        let mut h = Box::new(Heap::new());
        let hp: *mut Heap = &mut *h;
        let mut size = 1;
        while size <= MAX_CLASSED + 1 {
            let class = class_of(size.min(MAX_CLASSED));
            let (block_size, _) = class_layout(class);
            assert!(block_size >= size.min(MAX_CLASSED) && block_size % ALIGN == 0);
            // Enough blocks to fill more than one page of the class.
            for _ in 0..(2 * PAGE_SIZE / block_size + 2) {
                let b = unsafe { h.alloc(size) };
                assert!(unsafe { heap_holding(b) } == Some(hp), "size {size}");
                assert!(unsafe { usable_size(b) } >= size);
            }
            size += 97;
        }
        h.destroy();
    }

    #[test]
    fn medium_classes_waste_little() {
        // A kilobyte takes a third of a page, not a whole one.
        assert_eq!(class_layout(class_of(1024)), (1328, PAGE_SIZE));
        for &(size, pages) in MEDIUM.iter() {
            let per_span = (pages * PAGE_SIZE - HEADER_SIZE) / size;
            assert!(per_span * size + HEADER_SIZE > pages * PAGE_SIZE * 97 / 100, "class {size}");
        }
    }

    #[test]
    fn empty_pages_go_to_the_local_cache_and_come_back() {
        let mut h = Box::new(Heap::new());
        let hp: *mut Heap = &mut *h;
        let blocks: Vec<_> = (0..30).map(|_| unsafe { h.alloc(1024) }).collect();
        assert_eq!(h.stats().pages, 10);
        for &b in &blocks {
            unsafe { free(b, hp) };
        }
        // Only the page the class allocates from next stays.
        assert_eq!(h.stats().pages, 1);
        assert_eq!(h.local.page_count, 9);
        // Another class reuses a cached page.
        let b = unsafe { h.alloc(64) };
        assert_eq!(h.local.page_count, 8);
        unsafe { free(b, hp) };
        h.destroy();
    }

    #[test]
    fn a_bigger_cached_span_is_carved_as_its_class_only() {
        let mut h = Box::new(Heap::new());
        let hp: *mut Heap = &mut *h;
        // Leave a 4-page span in the local cache, then take a 2-page class from it.
        let big = unsafe { h.alloc(4 * PAGE_SIZE - HEADER_SIZE) };
        unsafe { free(big, hp) };
        let a = unsafe { h.alloc(8000) };
        let b = unsafe { h.alloc(8000) };
        assert_eq!(a as usize & !(PAGE_SIZE - 1), page_of(big) as usize);
        assert_eq!(unsafe { heap_holding(b) }, Some(hp));
        assert_ne!(page_of(a), page_of(b));
        h.destroy();
    }
}
