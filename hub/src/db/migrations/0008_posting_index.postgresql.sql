-- 0008: the bigram postings by case. Every text change and every re-index at merge or
-- unmerge deletes one case's postings (DELETE ... WHERE case_id = ?); the table's key is
-- (bigram, case_id), so without this index that delete read the whole table.
CREATE INDEX case_bigrams_case ON case_bigrams(case_id);
