//! Queues of shared values. A queue belongs to no interpreter: its items are
//! `Shared` copies in the C library's memory, so an item outlives the interpreter
//! that put it, and any thread frees it. Blocking waits release the caller's GIL and
//! sleep on a condition variable (no polling); timeouts run on the monotonic clock.
//!
//! Queues have process-wide ids. The registry holds them weakly: a queue lives while
//! some handle (an `Arc`) does, and its id stops resolving when the last one goes.

use super::share::Shared;
use crate::runtime::switch;
use crate::runtime::thread::Ts;
use core::ffi::c_int;
use parking_lot::{Condvar, Mutex};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, OnceLock, Weak};
use std::time::{Duration, Instant};

pub struct Queue {
    pub id: i64,
    /// What `_interpqueues` was given at creation, reported back as given.
    pub defaults: PyDefaults,
    /// At most this many items (0: no bound).
    max_items: usize,
    /// At most this many payload bytes (0: no bound); one item is always let in.
    max_bytes: usize,
    inner: Mutex<Contents>,
    readable: Condvar,
    writable: Condvar,
    /// Set by `_interpqueues.destroy`: the id no longer resolves.
    destroyed: AtomicBool,
    /// An eventfd made on first request, readable while items are queued (or the
    /// queue is closed), for host event loops; closed with the queue.
    event_fd: OnceLock<c_int>,
}

/// `_interpqueues.create`'s arguments: the maxsize as given (negative or 0 for no
/// bound), the item format and what to do with items whose sender ended (isle keeps
/// them all, so it is only reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PyDefaults {
    pub maxsize: i64,
    pub fmt: i64,
    pub unboundop: i64,
}

struct Contents {
    items: VecDeque<(Shared, usize)>,
    bytes: usize,
    closed: bool,
    /// Blocks handed out by `reserve` and not yet committed or aborted, by address,
    /// with the length asked for. Each holds a place in the bounds.
    reserved: HashMap<usize, (Box<[u8]>, usize)>,
    reserved_bytes: usize,
}

/// Why a put or get did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing to get before the deadline.
    Empty,
    /// No room before the deadline.
    Full,
    /// The queue was closed (for a get: and is drained).
    Closed,
}

/// How long a put or get may wait.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Wait {
    No,
    Forever,
    Until(Instant),
}

impl Wait {
    /// From C's convention: negative waits forever, 0 not at all, else seconds.
    /// None for NaN.
    pub fn from_seconds(timeout: f64) -> Option<Wait> {
        if timeout.is_nan() {
            None
        } else if timeout < 0.0 {
            Some(Wait::Forever)
        } else if timeout == 0.0 {
            Some(Wait::No)
        } else {
            // Beyond any real wait, and safe from overflow.
            let d = Duration::from_secs_f64(timeout.min(1e9));
            Some(Instant::now().checked_add(d).map_or(Wait::Forever, Wait::Until))
        }
    }
}

static REGISTRY: Mutex<Option<HashMap<i64, Weak<Queue>>>> = Mutex::new(None);
static NEXT_ID: AtomicI64 = AtomicI64::new(1);

impl Queue {
    /// A new queue, registered under a fresh id.
    pub fn new(max_items: usize, max_bytes: usize) -> Arc<Queue> {
        let defaults = PyDefaults { maxsize: max_items as i64, fmt: 0, unboundop: 1 };
        Queue::with_defaults(max_items, max_bytes, defaults)
    }

    /// A new queue that reports `defaults` to `_interpqueues`.
    pub fn with_defaults(max_items: usize, max_bytes: usize, defaults: PyDefaults) -> Arc<Queue> {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let contents =
            Contents { items: VecDeque::new(), bytes: 0, closed: false, reserved: HashMap::new(), reserved_bytes: 0 };
        let q = Arc::new(Queue {
            id,
            defaults,
            max_items,
            max_bytes,
            inner: Mutex::new(contents),
            readable: Condvar::new(),
            writable: Condvar::new(),
            destroyed: AtomicBool::new(false),
            event_fd: OnceLock::new(),
        });
        REGISTRY.lock().get_or_insert_with(HashMap::new).insert(id, Arc::downgrade(&q));
        q
    }

    /// The queue with this id, if one still exists.
    pub fn find(id: i64) -> Option<Arc<Queue>> {
        REGISTRY.lock().as_ref()?.get(&id)?.upgrade().filter(|q| !q.destroyed.load(Ordering::Acquire))
    }

    /// Every queue some handle still holds, oldest first.
    pub fn all() -> Vec<Arc<Queue>> {
        let map = REGISTRY.lock();
        let mut out: Vec<Arc<Queue>> = map
            .as_ref()
            .map(|m| m.values().filter_map(Weak::upgrade).filter(|q| !q.destroyed.load(Ordering::Acquire)).collect())
            .unwrap_or_default();
        out.sort_by_key(|q| q.id);
        out
    }

    /// `_interpqueues.destroy`: the id stops resolving, waiters wake, what is queued
    /// is dropped; handles still held see a closed, empty queue.
    pub fn destroy(&self) {
        self.destroyed.store(true, Ordering::Release);
        self.close();
        drop(self.take_items());
    }

    /// Empties the queue; the items are dropped by the caller, outside the lock (an
    /// item may hold the last handle on another queue).
    fn take_items(&self) -> VecDeque<(Shared, usize)> {
        let mut c = self.inner.lock();
        c.bytes = 0;
        self.writable.notify_all();
        core::mem::take(&mut c.items)
    }

    fn has_room(&self, c: &Contents, bytes: usize) -> bool {
        let count = c.items.len() + c.reserved.len();
        let items_ok = self.max_items == 0 || count < self.max_items;
        let total = c.bytes + c.reserved_bytes;
        let bytes_ok = self.max_bytes == 0 || count == 0 || total + bytes <= self.max_bytes;
        items_ok && bytes_ok
    }

    /// Appends an item the bounds already let in, and signals readers.
    fn push(&self, c: &mut Contents, value: Shared, bytes: usize) {
        if c.items.is_empty() {
            self.raise_event();
        }
        c.items.push_back((value, bytes));
        c.bytes += bytes;
        self.readable.notify_one();
    }

    /// The eventfd of this queue, made (and set to match the contents) on first call.
    /// None when the system refuses one.
    pub fn event_fd(&self) -> Option<c_int> {
        if let Some(&fd) = self.event_fd.get() {
            return Some(fd);
        }
        let c = self.inner.lock();
        if self.event_fd.get().is_none() {
            // SAFETY: a plain system call; the result is checked.
            let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
            if fd < 0 {
                return None;
            }
            let _ = self.event_fd.set(fd);
            if !c.items.is_empty() || c.closed {
                self.raise_event();
            }
        }
        drop(c);
        self.event_fd.get().copied()
    }

    /// Makes the eventfd (if any) readable. Called with the contents locked.
    fn raise_event(&self) {
        if let Some(&fd) = self.event_fd.get() {
            let one: u64 = 1;
            // SAFETY: writing 8 bytes to our own eventfd; a full counter only means
            // it is readable already.
            unsafe { libc::write(fd, &one as *const u64 as *const libc::c_void, 8) };
        }
    }

    /// Makes the eventfd (if any) unreadable again: the queue became empty.
    fn clear_event(&self) {
        if let Some(&fd) = self.event_fd.get() {
            let mut n: u64 = 0;
            // SAFETY: reading 8 bytes from our own non-blocking eventfd.
            unsafe { libc::read(fd, &mut n as *mut u64 as *mut libc::c_void, 8) };
        }
    }

    /// Holds a place for a bytes item of `size` bytes, waiting for room as `wait`
    /// allows, and hands out a block of that size to fill (`commit` queues it). None
    /// when the block cannot be allocated.
    pub fn reserve(&self, ts: Option<Ts>, size: usize, wait: Wait) -> Option<Result<*mut u8, Refusal>> {
        // One byte at least, so that every reservation has its own address; allocated
        // before waiting, and refused rather than aborting when memory runs out.
        let mut v: Vec<u8> = Vec::new();
        v.try_reserve_exact(size.max(1)).ok()?;
        v.resize(size.max(1), 0);
        let mut block = Some(v.into_boxed_slice());
        Some(self.wait_for(ts, wait, &self.writable, Refusal::Full, |q, c| {
            if c.closed {
                return Some(Err(Refusal::Closed));
            }
            if !q.has_room(c, size) {
                return None;
            }
            let mut block = block.take().expect("reserved once");
            let at = block.as_mut_ptr();
            c.reserved.insert(at as usize, (block, size));
            c.reserved_bytes += size;
            Some(Ok(at))
        }))
    }

    /// Queues the block `reserve` handed out at `at`, without copying it. None when
    /// `at` is not an outstanding reservation; Closed (the block is freed) when the
    /// queue was closed meanwhile.
    pub fn commit(&self, at: *mut u8) -> Option<Result<(), Refusal>> {
        let mut c = self.inner.lock();
        let (block, size) = c.reserved.remove(&(at as usize))?;
        c.reserved_bytes -= size;
        if c.closed {
            self.writable.notify_one();
            return Some(Err(Refusal::Closed));
        }
        let bytes = if size == block.len() { block } else { Box::new([]) };
        self.push(&mut c, Shared::Bytes(bytes), size);
        Some(Ok(()))
    }

    /// Frees the block `reserve` handed out at `at` and gives its place back; false
    /// when `at` is not an outstanding reservation.
    pub fn abort(&self, at: *mut u8) -> bool {
        let mut c = self.inner.lock();
        let Some((_, size)) = c.reserved.remove(&(at as usize)) else { return false };
        c.reserved_bytes -= size;
        self.writable.notify_one();
        true
    }

    /// Adds `value` at the back, waiting for room as `wait` allows. `ts`, when given,
    /// is the caller's attached thread state: its GIL is let go while waiting.
    pub fn put(&self, ts: Option<Ts>, value: Shared, wait: Wait) -> Result<(), Refusal> {
        let bytes = value.payload_bytes();
        let mut value = Some(value);
        self.wait_for(ts, wait, &self.writable, Refusal::Full, |q, c| {
            if c.closed {
                return Some(Err(Refusal::Closed));
            }
            if !q.has_room(c, bytes) {
                return None;
            }
            q.push(c, value.take().expect("put once"), bytes);
            Some(Ok(()))
        })
    }

    /// Takes the front item, waiting for one as `wait` allows (see `put`).
    pub fn get(&self, ts: Option<Ts>, wait: Wait) -> Result<Shared, Refusal> {
        self.take_front_if(ts, wait, |_| true).map(|v| v.expect("any item is accepted"))
    }

    /// Like `get`, but an item `accept` refuses stays where it is: `Ok(None)`.
    pub fn take_front_if(
        &self,
        ts: Option<Ts>,
        wait: Wait,
        accept: impl Fn(&Shared) -> bool,
    ) -> Result<Option<Shared>, Refusal> {
        self.wait_for(ts, wait, &self.readable, Refusal::Empty, |q, c| {
            let Some((front, _)) = c.items.front() else {
                return if c.closed { Some(Err(Refusal::Closed)) } else { None };
            };
            if !accept(front) {
                return Some(Ok(None));
            }
            let (value, bytes) = c.items.pop_front().expect("checked non-empty");
            c.bytes -= bytes;
            if c.items.is_empty() && !c.closed {
                q.clear_event();
            }
            q.writable.notify_one();
            Some(Ok(Some(value)))
        })
    }

    /// Runs `attempt` under the lock until it gives an answer: at once, then (if
    /// `wait` allows) each time `signal` is raised, until the deadline. The GIL of
    /// `ts` is only let go once a wait is needed, and taken back only after the
    /// queue's lock is released (so a thread holding the GIL and wanting the queue
    /// never waits on us while we wait on it).
    fn wait_for<T>(
        &self,
        ts: Option<Ts>,
        wait: Wait,
        signal: &Condvar,
        timed_out: Refusal,
        mut attempt: impl FnMut(&Queue, &mut Contents) -> Option<Result<T, Refusal>>,
    ) -> Result<T, Refusal> {
        {
            let mut c = self.inner.lock();
            if let Some(answer) = attempt(self, &mut c) {
                return answer;
            }
            if wait == Wait::No {
                return Err(timed_out);
            }
        }
        let detached = ts.map(|_| switch::detach_current());
        let answer = {
            let mut c = self.inner.lock();
            loop {
                if let Some(answer) = attempt(self, &mut c) {
                    break answer;
                }
                match wait {
                    Wait::Until(deadline) => {
                        if signal.wait_until(&mut c, deadline).timed_out() {
                            break attempt(self, &mut c).unwrap_or(Err(timed_out));
                        }
                    }
                    _ => signal.wait(&mut c),
                }
            }
        };
        if let Some(t) = detached.filter(|t| !t.is_null()) {
            switch::attach(t);
        }
        answer
    }

    /// Refuses later puts and wakes every waiter; what is queued can still be got.
    pub fn close(&self) {
        let mut c = self.inner.lock();
        if !c.closed && c.items.is_empty() {
            self.raise_event();
        }
        c.closed = true;
        drop(c);
        self.readable.notify_all();
        self.writable.notify_all();
    }

    pub fn len(&self) -> usize {
        self.inner.lock().items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_full(&self) -> bool {
        let c = self.inner.lock();
        self.max_items != 0 && c.items.len() >= self.max_items
    }
}

/// How many queues some handle still holds.
pub fn live_count() -> usize {
    REGISTRY.lock().as_ref().map_or(0, |map| map.values().filter(|q| q.strong_count() > 0).count())
}

/// At the runtime's end: empties every queue still alive, so that queues queued in
/// each other (which hold each other) are freed with the last outside handle.
pub fn drain_all() {
    for q in Queue::all() {
        drop(q.take_items());
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        if let Some(map) = REGISTRY.lock().as_mut() {
            map.remove(&self.id);
        }
        if let Some(&fd) = self.event_fd.get() {
            // SAFETY: our own descriptor, closed once.
            unsafe { libc::close(fd) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_out_in_order_and_bounds_hold() {
        let q = Queue::new(2, 0);
        assert_eq!(q.put(None, Shared::SmallInt(1), Wait::No), Ok(()));
        assert_eq!(q.put(None, Shared::SmallInt(2), Wait::No), Ok(()));
        assert_eq!(q.put(None, Shared::SmallInt(3), Wait::No), Err(Refusal::Full));
        assert!(q.is_full());
        assert_eq!(q.get(None, Wait::No), Ok(Shared::SmallInt(1)));
        assert_eq!(q.get(None, Wait::No), Ok(Shared::SmallInt(2)));
        assert_eq!(q.get(None, Wait::No), Err(Refusal::Empty));
    }

    #[test]
    fn a_byte_bound_still_lets_one_item_in() {
        let q = Queue::new(0, 4);
        let big = Shared::Bytes(vec![0u8; 10].into_boxed_slice());
        assert_eq!(q.put(None, big.clone(), Wait::No), Ok(()));
        assert_eq!(q.put(None, Shared::Bytes(vec![1].into_boxed_slice()), Wait::No), Err(Refusal::Full));
        assert_eq!(q.get(None, Wait::No), Ok(big));
    }

    #[test]
    fn closing_refuses_puts_and_drains_gets() {
        let q = Queue::new(0, 0);
        q.put(None, Shared::None, Wait::No).unwrap();
        q.close();
        assert_eq!(q.put(None, Shared::None, Wait::No), Err(Refusal::Closed));
        assert_eq!(q.get(None, Wait::Forever), Ok(Shared::None));
        assert_eq!(q.get(None, Wait::Forever), Err(Refusal::Closed));
    }

    #[test]
    fn a_blocked_get_is_woken_by_a_put_from_another_thread() {
        let q = Queue::new(0, 0);
        let q2 = Arc::clone(&q);
        let t = std::thread::spawn(move || q2.get(None, Wait::Forever));
        std::thread::sleep(Duration::from_millis(20));
        q.put(None, Shared::SmallInt(7), Wait::No).unwrap();
        assert_eq!(t.join().unwrap(), Ok(Shared::SmallInt(7)));
    }

    #[test]
    fn ids_resolve_while_a_handle_lives() {
        let q = Queue::new(0, 0);
        let id = q.id;
        assert!(Queue::find(id).is_some());
        drop(q);
        assert!(Queue::find(id).is_none());
    }

    #[test]
    fn timeouts_wait_at_least_their_length() {
        let q = Queue::new(0, 0);
        let start = Instant::now();
        assert_eq!(q.get(None, Wait::from_seconds(0.03).unwrap()), Err(Refusal::Empty));
        assert!(start.elapsed() >= Duration::from_millis(30));
        assert_eq!(Wait::from_seconds(f64::NAN), None);
        assert_eq!(Wait::from_seconds(-1.0), Some(Wait::Forever));
    }

    #[test]
    fn reservations_hold_places_and_commit_without_a_copy() {
        let q = Queue::new(1, 0);
        let at = q.reserve(None, 3, Wait::No).unwrap().unwrap();
        assert_eq!(q.put(None, Shared::None, Wait::No), Err(Refusal::Full));
        // SAFETY: the reservation is 3 writable bytes.
        unsafe { core::ptr::copy_nonoverlapping(b"abc".as_ptr(), at, 3) };
        assert_eq!(q.commit(at), Some(Ok(())));
        assert_eq!(q.commit(at), None);
        assert!(!q.abort(at));
        assert_eq!(q.get(None, Wait::No), Ok(Shared::Bytes(b"abc".to_vec().into_boxed_slice())));
        let again = q.reserve(None, 1, Wait::No).unwrap().unwrap();
        assert!(q.abort(again));
        assert_eq!(q.put(None, Shared::None, Wait::No), Ok(()));
    }

    #[test]
    fn the_event_fd_is_readable_exactly_while_items_are_queued() {
        let readable = |fd: c_int| {
            let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
            // SAFETY: one pollfd, no wait.
            unsafe { libc::poll(&mut p, 1, 0) == 1 }
        };
        let q = Queue::new(0, 0);
        q.put(None, Shared::None, Wait::No).unwrap();
        let fd = q.event_fd().unwrap();
        assert!(readable(fd), "made after a put, it reflects the contents");
        q.get(None, Wait::No).unwrap();
        assert!(!readable(fd));
        q.close();
        assert!(readable(fd));
    }

    #[test]
    fn a_destroyed_queue_no_longer_resolves_and_holds_nothing() {
        let q = Queue::new(0, 0);
        q.put(None, Shared::SmallInt(1), Wait::No).unwrap();
        q.destroy();
        assert!(Queue::find(q.id).is_none());
        assert_eq!(q.len(), 0);
        assert_eq!(q.put(None, Shared::None, Wait::No), Err(Refusal::Closed));
    }
}
