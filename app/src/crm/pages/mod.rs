mod board;

pub use board::BoardPage;
