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
use parking_lot::{Condvar, Mutex};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

pub struct Queue {
    pub id: i64,
    /// At most this many items (0: no bound).
    max_items: usize,
    /// At most this many payload bytes (0: no bound); one item is always let in.
    max_bytes: usize,
    inner: Mutex<Contents>,
    readable: Condvar,
    writable: Condvar,
}

struct Contents {
    items: VecDeque<(Shared, usize)>,
    bytes: usize,
    closed: bool,
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
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let q = Arc::new(Queue {
            id,
            max_items,
            max_bytes,
            inner: Mutex::new(Contents { items: VecDeque::new(), bytes: 0, closed: false }),
            readable: Condvar::new(),
            writable: Condvar::new(),
        });
        REGISTRY.lock().get_or_insert_with(HashMap::new).insert(id, Arc::downgrade(&q));
        q
    }

    /// The queue with this id, if one still exists.
    pub fn find(id: i64) -> Option<Arc<Queue>> {
        REGISTRY.lock().as_ref()?.get(&id)?.upgrade()
    }

    fn has_room(&self, c: &Contents, bytes: usize) -> bool {
        let items_ok = self.max_items == 0 || c.items.len() < self.max_items;
        let bytes_ok = self.max_bytes == 0 || c.items.is_empty() || c.bytes + bytes <= self.max_bytes;
        items_ok && bytes_ok
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
            c.items.push_back((value.take().expect("put once"), bytes));
            c.bytes += bytes;
            q.readable.notify_one();
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
        self.inner.lock().closed = true;
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

impl Drop for Queue {
    fn drop(&mut self) {
        if let Some(map) = REGISTRY.lock().as_mut() {
            map.remove(&self.id);
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
}
