int average_above(const int *values, int n, int threshold, double *out)
{
	long long sum = 0;
	int count = 0;

	*out = 0.0;
	if (values == 0 || n <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		if (values[i] > threshold) {
			sum += values[i];
			count++;
		}
	}
	if (count > 0)
		*out = (double)sum / count;
	return count;
}
