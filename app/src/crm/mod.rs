//! CRM: financing leads on a live Kanban board, round-robin distribution, AI qualification and chat.

pub mod pages;
