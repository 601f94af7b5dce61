int average_above(const int *values, int n, int threshold, double *out)
{
	int sum = 0, count = 0;

	for (int i = 0; i < n; i++) {
		if (values[i] >= threshold) {
			sum += values[i];
			count++;
		}
	}
	*out = sum / n;
	return count;
}
