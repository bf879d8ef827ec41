mod board;

pub use board::BoardPage;

crate::lazy_page!(
    /// The CRM board, in its own chunk.
    pub BoardRoute => BoardPage
);
