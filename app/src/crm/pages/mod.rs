mod board;
mod drawer;
mod export_link;
mod simulate;

pub use board::BoardPage;
pub use simulate::SimulatePage;

crate::lazy_page!(
    /// The CRM board, in its own chunk.
    pub BoardRoute => BoardPage
);
crate::lazy_page!(
    /// The public lead form, in its own chunk.
    pub SimulateRoute => SimulatePage
);
